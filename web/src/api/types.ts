/* The C API's shapes, as docs/openapi.yaml describes them (only what the UI reads). */

export type PlanName = 'free' | 'individual' | 'business' | 'agency' | 'enterprise';

export interface User {
  id: string;
  email: string;
  company: string;
  role: 'user' | 'admin';
  workspace_id: string;
  api_quota: number;
  created_at: string;
}

export interface Workspace {
  id: string;
  name: string;
  plan_type: PlanName;
  current_period_start: string;
  current_period_end: string;
  extra_personas: number;
  scheduled_plan: string | null;
  created_at: string;
}

export interface Plan {
  name: string;
  price_month: string | null;
  max_personas: number | null;
  max_projects: number | null;
  extra_persona: string | null;
  api_access: boolean;
  advanced_analytics: boolean;
  priority_support: boolean;
  custom_personas: boolean;
  team_members: number | null;
  custom: boolean;
}

export interface Meter {
  used: number;
  /** null is unlimited */
  limit: number | null;
  approaching_limit: boolean;
}

/** The current billing period's activity (GET /api/usage only). */
export interface UsagePeriod {
  start: string;
  end: string;
  tests_run: number;
  persona_answers: number;
  cost_usd: number;
}

export interface Usage {
  personas: Meter & { extra?: number };
  projects: Meter;
  members: Meter & { pending_invites?: number };
  plan?: string;
  period?: UsagePeriod;
}

export interface Session {
  token: string;
  expires_at: string;
  user: User;
  workspace: Workspace;
}

export interface Me {
  user: User;
  workspace: Workspace;
  plan: Plan;
  usage: Usage;
  via_api_key: boolean;
}

export interface UsageDay {
  date: string;
  tests_run: number;
  persona_answers: number;
  cost_usd: number;
}

export type IncomeLevel = 'low' | 'lower_middle' | 'middle' | 'upper_middle' | 'high';
export type Level = 'low' | 'medium' | 'high';

export interface PersonaFields {
  name: string;
  demographics: {
    age: number;
    gender?: string;
    location?: string;
    occupation?: string;
    income_level?: IncomeLevel;
    nationality?: string;
    education?: string;
    language?: string;
  };
  personality?: {
    traits?: string[];
    interests?: string[];
    values?: string[];
    big_five?: Partial<Record<string, Level>>;
  };
}

export type PersonaType = 'custom' | 'template' | 'generated';

export interface Persona extends PersonaFields {
  id: string;
  type: PersonaType;
  template_id: string | null;
  tags: string[];
  validation: { score: number; reasons: string; validated_at: string } | null;
  workspace_id: string;
  created_at: string;
  updated_at: string;
}

export interface PersonaTemplate extends PersonaFields {
  id: string;
  tags: string[];
}

export interface Page {
  total: number;
  limit: number;
  offset: number;
}

export interface PersonaPage extends Page {
  personas: Persona[];
}

export type TestType = 'product' | 'message' | 'journey' | 'focus_group';
export type TestStatus =
  'draft' | 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface TestSummary {
  id: string;
  name: string;
  type: TestType;
  status: TestStatus;
  project_id?: string;
  created_at: string;
  updated_at: string;
}

export interface TestPage extends Page {
  tests: TestSummary[];
}

export interface Notification {
  id: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
  read: boolean;
  read_at: string | null;
  created_at: string;
}

export interface NotificationPage extends Page {
  notifications: Notification[];
  unread: number;
}

export interface LlmStatus {
  provider: 'openai' | 'azure' | 'offline';
  model: string;
  available: boolean;
  reachable: boolean;
  checked_at?: string | null;
  error?: string | null;
}

export type ErrorCode =
  | 'invalid_request'
  | 'malformed_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'plan_limit'
  | 'rate_limited'
  | 'internal'
  | 'upstream_error'
  | 'unavailable'
  | 'timeout'
  /** the UI's own: the request never got an answer */
  | 'network'
  /** the UI's own: an answer that is not the API's JSON */
  | 'bad_response';
