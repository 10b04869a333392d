import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  IncomeLevel,
  Level,
  Page,
  Persona,
  PersonaPage,
  PersonaTemplate,
  PersonaType,
} from './types';

/** The filters GET /api/personas takes (docs/openapi.yaml). */
export interface PersonaFilters {
  q?: string;
  age_min?: number;
  age_max?: number;
  gender?: string;
  country?: string;
  location?: string;
  occupation?: string;
  income_level?: IncomeLevel;
  nationality?: string;
  education?: string;
  language?: string;
  type?: PersonaType;
  tag?: string;
  library_id?: string;
  sort?: string;
  limit?: number;
  offset?: number;
}

/* ---- the persona's full shape (docs/openapi.yaml PersonaFields, Persona) ---------------- */

export const BIG_FIVE = [
  'openness',
  'conscientiousness',
  'extraversion',
  'agreeableness',
  'neuroticism',
] as const;
export type BigFiveTrait = (typeof BIG_FIVE)[number];

export interface PersonaProfile {
  occupation_detail?: { organization?: string; description?: string };
  style?: string;
  long_term_goals?: string[];
  beliefs?: string[];
  likes?: string[];
  dislikes?: string[];
  skills?: string[];
  behaviors?: { general?: string[]; routines?: Record<string, string> };
  health?: string;
  relationships?: { name: string; description?: string }[];
  other_facts?: string[];
}

/** One persona as GET /api/personas/:id answers it: every field, the profile included. */
export interface PersonaDetail extends Persona {
  profile?: PersonaProfile;
  personality?: {
    traits?: string[];
    interests?: string[];
    values?: string[];
    big_five?: Partial<Record<BigFiveTrait, Level>>;
  };
}

/** What POST /api/personas (custom) and PUT /api/personas/:id take (PersonaInput). */
export interface PersonaInput {
  name?: string;
  demographics?: {
    age: number;
    gender?: string;
    location?: string;
    occupation?: string;
    income_level?: IncomeLevel;
    nationality?: string;
    education?: string;
    language?: string;
  };
  personality?: PersonaDetail['personality'];
  profile?: PersonaProfile;
  type?: 'custom';
  tags?: string[];
}

/** A model call's tokens and cost (ModelUsage). */
export interface ModelUsage {
  calls?: number;
  cache_hits?: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

export interface ValidationResult {
  score: number;
  reasons: string;
  rounds: number;
  model: string;
  interview: { speaker: string; text: string }[];
  validated_at: string;
  usage?: ModelUsage;
}

export interface PersonaRun {
  test_id: string;
  test_name: string;
  run_id: string;
  status: string;
  results: number;
  created_at: string;
  finished_at: string | null;
}

export interface PersonaRunPage extends Page {
  runs: PersonaRun[];
}

export interface ChatMessage {
  seq: number;
  role: 'user' | 'persona';
  content: string;
  model?: string;
  created_at: string;
}

export interface Conversation {
  id: string;
  persona_id: string;
  user_id: string;
  title: string;
  message_count: number;
  created_at: string;
  updated_at: string;
  messages?: ChatMessage[];
}

export interface ConversationPage extends Page {
  conversations: Conversation[];
}

export interface Exchange {
  conversation_id: string;
  new_conversation: boolean;
  question: ChatMessage;
  answer: ChatMessage;
  usage?: { tokens_in: number; tokens_out: number; cost_usd: number };
}

export interface GenerateRequest {
  description: string;
  count: number;
  language?: 'en' | 'pt-BR';
  seed?: number;
}

export interface GeneratedDimension {
  name: string;
  values?: { value: string; share: number }[];
  min?: number;
  max?: number;
}

export interface GeneratedGroup {
  description: string;
  planned: number;
  quantity: number;
  traits: Record<string, string>;
}

export interface GeneratedSample {
  group: number;
  picks: Record<string, string>;
  /** the persona made from it (null: it failed); absent in a dry run */
  persona_id?: string | null;
  error?: string;
}

export interface GenerateResult {
  personas: string[];
  plan: { dimensions: GeneratedDimension[]; groups: GeneratedGroup[] };
  samples: GeneratedSample[];
  stats: {
    asked?: number;
    made?: number;
    failed?: number;
    rejected_duplicate?: number;
    rejected_near_duplicate?: number;
    call_failures?: number;
    rounds?: number;
  };
  seed: number;
  /** a dry run: the plan and the draws only, no personas */
  dry_run?: boolean;
  usage?: ModelUsage;
}

/* ---- query keys ---------------------------------------------------------------------------- */

export const personaKeys = {
  all: ['personas'] as const,
  detail: (id: string) => ['personas', 'detail', id] as const,
  usage: (id: string, offset: number) => ['personas', 'usage', id, offset] as const,
  conversations: (id: string) => ['personas', 'conversations', id] as const,
  conversation: (id: string, cid: string) => ['personas', 'conversation', id, cid] as const,
};

/** The list queries (['personas', filters]), not one persona's. */
function isListQuery(q: { queryKey: readonly unknown[] }): boolean {
  return typeof q.queryKey[1] === 'object' && q.queryKey[1] !== null;
}

/* ---- lists --------------------------------------------------------------------------------- */

export function usePersonas(filters: PersonaFilters) {
  return useQuery({
    queryKey: ['personas', filters],
    queryFn: ({ signal }) => api.get<PersonaPage>('/api/personas', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePersonaTemplates() {
  return useQuery({
    queryKey: ['persona-templates'],
    queryFn: ({ signal }) =>
      api.get<{ templates: PersonaTemplate[]; total: number }>(
        '/api/personas/templates',
        undefined,
        signal,
      ),
    staleTime: 10 * 60_000,
  });
}

/**
 * What adding or removing personas changes: the lists, the meters, maybe an
 * 80 % notification. A deleted persona's own queries are left alone (its
 * page is still on screen while the app leaves it: a refetch would only 404).
 */
function useInvalidateStock() {
  const qc = useQueryClient();
  return (except?: string) => {
    void qc.invalidateQueries({
      queryKey: ['personas'],
      predicate: (q) => !except || !q.queryKey.includes(except),
    });
    void qc.invalidateQueries({ queryKey: ['usage'] });
    void qc.invalidateQueries({ queryKey: ['me'] });
    void qc.invalidateQueries({ queryKey: ['notifications'] });
  };
}

/** POST /api/personas {template_id}: adds a template persona to the workspace. */
export function useAddTemplatePersona() {
  const invalidate = useInvalidateStock();
  return useMutation({
    mutationFn: (templateId: string) =>
      api.post<Persona>('/api/personas', { template_id: templateId }),
    onSuccess: () => invalidate(),
  });
}

/* ---- one persona --------------------------------------------------------------------------- */

export function usePersona(id: string | undefined) {
  return useQuery({
    queryKey: personaKeys.detail(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<PersonaDetail>(`/api/personas/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** POST /api/personas with a custom persona's fields (custom_personas). */
export function useCreatePersona() {
  const invalidate = useInvalidateStock();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PersonaInput) =>
      api.post<PersonaDetail>('/api/personas', { ...input, type: 'custom' }),
    onSuccess: (p) => {
      qc.setQueryData(personaKeys.detail(p.id), p);
      invalidate();
    },
  });
}

/** PUT /api/personas/:id: the fields (custom_personas) and/or the tags (every plan). */
export function useUpdatePersona(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PersonaInput) =>
      api.put<PersonaDetail>(`/api/personas/${encodeURIComponent(id)}`, input),
    onSuccess: (p) => {
      qc.setQueryData(personaKeys.detail(id), p);
      void qc.invalidateQueries({ queryKey: ['personas'], predicate: isListQuery });
    },
  });
}

export function useDeletePersona() {
  const invalidate = useInvalidateStock();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/personas/${encodeURIComponent(id)}`),
    onSuccess: (_r, id) => invalidate(id),
  });
}

export interface ValidateInput {
  expectations?: string;
  rounds?: number;
}

/** POST /api/personas/:id/validate: the verdict, also kept on the persona. */
export function useValidatePersona(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ValidateInput) =>
      api.post<ValidationResult>(`/api/personas/${encodeURIComponent(id)}/validate`, input),
    onSuccess: (v) => {
      qc.setQueryData<PersonaDetail>(personaKeys.detail(id), (p) =>
        p
          ? {
              ...p,
              validation: { score: v.score, reasons: v.reasons, validated_at: v.validated_at },
            }
          : p,
      );
      void qc.invalidateQueries({ queryKey: ['personas'], predicate: isListQuery });
    },
  });
}

export const PERSONA_RUNS_PAGE = 10;

export function usePersonaRuns(id: string, offset: number) {
  return useQuery({
    queryKey: personaKeys.usage(id, offset),
    queryFn: ({ signal }) =>
      api.get<PersonaRunPage>(
        `/api/personas/${encodeURIComponent(id)}/usage`,
        { limit: PERSONA_RUNS_PAGE, offset },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

/* ---- interviews ---------------------------------------------------------------------------- */

export function useConversations(id: string) {
  return useQuery({
    queryKey: personaKeys.conversations(id),
    queryFn: ({ signal }) =>
      api.get<ConversationPage>(
        `/api/personas/${encodeURIComponent(id)}/conversations`,
        { limit: 50 },
        signal,
      ),
  });
}

export function useConversation(id: string, cid: string | null) {
  return useQuery({
    queryKey: personaKeys.conversation(id, cid ?? ''),
    queryFn: ({ signal }) =>
      api.get<Conversation>(
        `/api/personas/${encodeURIComponent(id)}/conversations/${encodeURIComponent(cid ?? '')}`,
        undefined,
        signal,
      ),
    enabled: !!cid,
  });
}

export interface ChatInput {
  message: string;
  conversation_id?: string;
}

/** POST /api/personas/:id/chat: one message and the persona's reply, kept in the conversation. */
export function useChat(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ChatInput) =>
      api.post<Exchange>(`/api/personas/${encodeURIComponent(id)}/chat`, input),
    onSuccess: (x) => {
      qc.setQueryData<Conversation>(personaKeys.conversation(id, x.conversation_id), (c) => {
        const base: Conversation = c ?? {
          id: x.conversation_id,
          persona_id: id,
          user_id: '',
          title: x.question.content.slice(0, 80),
          message_count: 0,
          created_at: x.question.created_at,
          updated_at: x.answer.created_at,
          messages: [],
        };
        const messages = (base.messages ?? []).filter(
          (m) => m.seq !== x.question.seq && m.seq !== x.answer.seq,
        );
        messages.push(x.question, x.answer);
        return {
          ...base,
          messages,
          message_count: messages.length,
          updated_at: x.answer.created_at,
        };
      });
      void qc.invalidateQueries({ queryKey: personaKeys.conversations(id) });
    },
  });
}

export function useDeleteConversation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (cid: string) =>
      api.delete<void>(
        `/api/personas/${encodeURIComponent(id)}/conversations/${encodeURIComponent(cid)}`,
      ),
    // the deleted conversation's own query is left to expire: it may be on screen
    onSuccess: () => void qc.invalidateQueries({ queryKey: personaKeys.conversations(id) }),
  });
}

/* ---- the factory --------------------------------------------------------------------------- */

/** POST /api/personas/generate: the personas made and the sampling plan the model used. */
export function useGeneratePersonas() {
  const invalidate = useInvalidateStock();
  return useMutation({
    mutationFn: (input: GenerateRequest) =>
      api.post<GenerateResult>('/api/personas/generate', input),
    onSuccess: () => invalidate(),
  });
}

/**
 * POST /api/personas/generate with dry_run: the sampling plan the model
 * makes for the request and the people it draws, nothing added (200).
 * Generating the same request with the seed it answers plans and draws the
 * same way.
 */
export function usePreviewGeneration() {
  return useMutation({
    mutationFn: (input: GenerateRequest) =>
      api.post<GenerateResult>('/api/personas/generate', { ...input, dry_run: true }),
  });
}

/** The newest generated personas (one request), to show the ones a generation just made. */
export function useGeneratedPersonas(ids: string[] | null) {
  return useQuery({
    queryKey: ['personas', 'generated', ids],
    queryFn: async ({ signal }) => {
      const page = await api.get<PersonaPage>(
        '/api/personas',
        { type: 'generated', sort: '-created_at', limit: Math.min(200, ids?.length ?? 1) },
        signal,
      );
      const wanted = new Set(ids ?? []);
      return page.personas.filter((p) => wanted.has(p.id));
    },
    enabled: !!ids && ids.length > 0,
  });
}
