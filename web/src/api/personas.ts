import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { IncomeLevel, Persona, PersonaPage, PersonaTemplate, PersonaType } from './types';

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

/** POST /api/personas {template_id}: adds a template persona to the workspace. */
export function useAddTemplatePersona() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (templateId: string) =>
      api.post<Persona>('/api/personas', { template_id: templateId }),
    onSuccess: () => {
      // what an added persona changes: the lists, the meters, maybe an 80 % notification
      void qc.invalidateQueries({ queryKey: ['personas'] });
      void qc.invalidateQueries({ queryKey: ['usage'] });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}
