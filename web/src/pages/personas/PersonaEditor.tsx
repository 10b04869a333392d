/*
 * /personas/new and /personas/:personaId/edit - every field the API takes
 * for a persona, in sections, checked as the API checks them before
 * sending; the API's 400 is shown at its field, and nothing typed is lost
 * when a request fails. A plan without custom personas may still tag a
 * persona (the fields are shown, locked, with the upgrade prompt).
 */
import {
  Box,
  Button,
  Field,
  Fieldset,
  Flex,
  IconButton,
  Input,
  NativeSelect,
  SimpleGrid,
  Skeleton,
  SkeletonText,
  Stack,
  Text,
  Textarea,
} from '@chakra-ui/react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useBlocker, useNavigate, useParams } from 'react-router';
import { useMe } from '../../api/auth';
import { isApiError } from '../../api/client';
import {
  BIG_FIVE,
  useCreatePersona,
  usePersona,
  useUpdatePersona,
  type PersonaDetail,
} from '../../api/personas';
import { useUsage } from '../../api/usage';
import { ActionError } from '../../components/ActionError';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { UpgradePrompt } from '../../components/UpgradePrompt';
import { Card, CardHeader } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { PlusIcon, TrashIcon } from '../../components/Icons';
import { formatNumber } from '../../lib/format';
import {
  AGE_MAX,
  AGE_MIN,
  INCOME_LEVELS,
  LEVELS,
  NAME_MAX,
  TAGS_MAX,
  emptyForm,
  formFieldOf,
  formFromPersona,
  formToInput,
  linesOf,
  rowKey,
  validateForm,
  apiFieldError,
  type FieldError,
  type FormErrors,
  type ListField,
  type PersonaForm,
  type TextField,
} from './editorForm';

const fieldId = (f: string) => `pf-${f.replace(/\./g, '-')}`;

function useErrorText() {
  const { t, i18n } = useTranslation();
  return (e: FieldError | undefined): string | undefined => {
    if (!e) return undefined;
    if (e.key === 'raw') return e.raw;
    const values = Object.fromEntries(
      Object.entries(e.values ?? {}).map(([k, v]) => [
        k,
        typeof v === 'number' ? formatNumber(v, i18n.language) : v,
      ]),
    );
    return t(`personaEditor.errors.${e.key}`, values);
  };
}

function Section({
  title,
  subtitle,
  children,
  disabled,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
  disabled?: boolean;
}) {
  return (
    <Card as="section">
      <Fieldset.Root disabled={disabled}>
        <CardHeader title={title} subtitle={subtitle} />
        <Fieldset.Content mt={0}>{children}</Fieldset.Content>
      </Fieldset.Root>
    </Card>
  );
}

function Labelled({
  field,
  label,
  required,
  helper,
  error,
  children,
}: {
  field: string;
  label: string;
  required?: boolean;
  helper?: ReactNode;
  error: string | undefined;
  children: ReactNode;
}) {
  return (
    <Field.Root invalid={!!error} required={required} id={`${fieldId(field)}-field`}>
      <Field.Label fontSize="sm" color="gray.700" htmlFor={fieldId(field)}>
        {label}
        {required ? <Field.RequiredIndicator /> : null}
      </Field.Label>
      {children}
      {error ? (
        <Field.ErrorText data-testid={`error-${field}`}>{error}</Field.ErrorText>
      ) : helper ? (
        <Field.HelperText color="fg.muted">{helper}</Field.HelperText>
      ) : null}
    </Field.Root>
  );
}

const inputStyle = { borderRadius: '12px', bg: 'white', fontSize: 'sm' } as const;

function EditorForm({
  mode,
  persona,
  canFields,
}: {
  mode: 'new' | 'edit';
  persona?: PersonaDetail;
  canFields: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [initial] = useState(() => (persona ? formFromPersona(persona) : emptyForm()));
  const [form, setForm] = useState<PersonaForm>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const saved = useRef(false);
  const create = useCreatePersona();
  const update = useUpdatePersona(persona?.id ?? '');
  const saving = create.isPending || update.isPending;
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !saved.current && currentLocation.pathname !== nextLocation.pathname,
  );

  const set = <K extends keyof PersonaForm>(key: K, value: PersonaForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => {
      if (!e[key as string]) return e;
      const next = { ...e };
      delete next[key as string];
      return next;
    });
  };

  const focus = (field: string) => {
    const el =
      document.getElementById(fieldId(field)) ?? document.getElementById(`${fieldId(field)}-field`);
    el?.scrollIntoView?.({ block: 'center' });
    el?.focus();
  };

  const submit = () => {
    const found = validateForm(form, { fields: canFields });
    setErrors(found);
    setFailure(null);
    const first = Object.keys(found)[0];
    if (first) {
      window.setTimeout(() => focus(first), 0);
      return;
    }
    const input = formToInput(form, { fields: canFields });
    const done = (p: PersonaDetail) => {
      saved.current = true;
      navigate(`/personas/${encodeURIComponent(p.id)}`);
    };
    const failed = (e: unknown) => {
      if (isApiError(e) && e.code === 'invalid_request' && e.field) {
        const f = formFieldOf(e.field, form);
        if (f) {
          setErrors({ [f]: apiFieldError(e.message) });
          window.setTimeout(() => focus(f), 0);
          return;
        }
      }
      setFailure(e);
    };
    if (mode === 'new') create.mutate(input, { onSuccess: done, onError: failed });
    else update.mutate(input, { onSuccess: done, onError: failed });
  };

  const text = (
    field: TextField,
    label: string,
    opts: { helper?: string; long?: boolean; placeholder?: string; list?: string } = {},
  ) => (
    <Labelled field={field} label={label} helper={opts.helper} error={errorText(errors[field])}>
      {opts.long ? (
        <Textarea
          id={fieldId(field)}
          name={field}
          value={form[field]}
          onChange={(e) => set(field, e.target.value)}
          rows={3}
          autoresize
          placeholder={opts.placeholder}
          {...inputStyle}
        />
      ) : (
        <Input
          id={fieldId(field)}
          name={field}
          value={form[field]}
          onChange={(e) => set(field, e.target.value)}
          placeholder={opts.placeholder}
          list={opts.list}
          {...inputStyle}
        />
      )}
    </Labelled>
  );

  const list = (field: ListField, label: string, placeholder?: string) => {
    const n = linesOf(form[field]).length;
    return (
      <Labelled
        field={field}
        label={label}
        error={errorText(errors[field])}
        helper={t('personaEditor.listHelp', { count: n })}
      >
        <Textarea
          id={fieldId(field)}
          name={field}
          value={form[field]}
          onChange={(e) => set(field, e.target.value)}
          rows={3}
          autoresize
          maxH="320px"
          placeholder={placeholder}
          {...inputStyle}
        />
      </Labelled>
    );
  };

  const locked = !canFields;
  const errorCount = Object.keys(errors).length;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-label={mode === 'new' ? t('personaEditor.newTitle') : t('personaEditor.editTitle')}
    >
      <Stack gap="24px">
        {locked ? (
          <UpgradePrompt
            testId="editor-gate"
            title={t('personaEditor.gate.title')}
            actionLabel={t('actions.upgrade')}
            text={t('personaEditor.gate.tagsOnly')}
          />
        ) : null}
        {errorCount > 0 ? (
          <Box
            role="alert"
            borderRadius="12px"
            bg="red.50"
            color="red.800"
            px="16px"
            py="12px"
            data-testid="editor-errors"
          >
            <Text fontWeight="bold">{t('personaEditor.fixFields', { count: errorCount })}</Text>
          </Box>
        ) : null}

        <Section
          title={t('personaEditor.sections.basics')}
          subtitle={t('personaEditor.sections.basicsHint')}
          disabled={locked}
        >
          <SimpleGrid columns={{ base: 1, md: 2 }} gap="16px">
            <Labelled
              field="name"
              label={t('personaEditor.fields.name')}
              required
              error={errorText(errors.name)}
              helper={t('personaEditor.help.name', { max: NAME_MAX })}
            >
              <Input
                id={fieldId('name')}
                name="name"
                value={form.name}
                onChange={(e) => set('name', e.target.value)}
                autoComplete="off"
                {...inputStyle}
              />
            </Labelled>
            <Labelled
              field="age"
              label={t('personaEditor.fields.age')}
              required
              error={errorText(errors.age)}
              helper={t('personaEditor.help.age', { min: AGE_MIN, max: AGE_MAX })}
            >
              <Input
                id={fieldId('age')}
                name="age"
                type="number"
                inputMode="numeric"
                min={AGE_MIN}
                max={AGE_MAX}
                value={form.age}
                onChange={(e) => set('age', e.target.value)}
                {...inputStyle}
              />
            </Labelled>
            {text('gender', t('personaEditor.fields.gender'), {
              list: 'pf-genders',
              helper: t('personaEditor.help.gender'),
            })}
            {text('language', t('personaEditor.fields.language'), {
              list: 'pf-languages',
              placeholder: 'pt-BR',
              helper: t('personaEditor.help.language'),
            })}
          </SimpleGrid>
          <datalist id="pf-genders">
            {['female', 'male', 'non-binary'].map((g) => (
              <option key={g} value={g}>
                {t(`personas.gender.${g}`)}
              </option>
            ))}
          </datalist>
          <datalist id="pf-languages">
            <option value="en">English</option>
            <option value="pt-BR">Português (Brasil)</option>
          </datalist>
        </Section>

        <Section title={t('personaEditor.sections.background')} disabled={locked}>
          <SimpleGrid columns={{ base: 1, md: 2 }} gap="16px">
            {text('location', t('personaEditor.fields.location'), {
              placeholder: t('personaEditor.placeholders.location'),
              helper: t('personaEditor.help.location'),
            })}
            {text('nationality', t('personaEditor.fields.nationality'))}
            {text('occupation', t('personaEditor.fields.occupation'), {
              placeholder: t('personaEditor.placeholders.occupation'),
            })}
            {text('education', t('personaEditor.fields.education'))}
            <Labelled
              field="income_level"
              label={t('personaEditor.fields.income')}
              error={errorText(errors.income_level)}
            >
              <NativeSelect.Root>
                <NativeSelect.Field
                  id={fieldId('income_level')}
                  name="income_level"
                  value={form.income_level}
                  onChange={(e) =>
                    set('income_level', e.target.value as PersonaForm['income_level'])
                  }
                  {...inputStyle}
                >
                  <option value="">{t('personaEditor.notSaid')}</option>
                  {INCOME_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`personas.income.${l}`)}
                    </option>
                  ))}
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </Labelled>
          </SimpleGrid>
        </Section>

        <Section
          title={t('personaEditor.sections.personality')}
          subtitle={t('personaEditor.sections.listsHint')}
          disabled={locked}
        >
          <SimpleGrid columns={{ base: 1, md: 3 }} gap="16px">
            {list(
              'traits',
              t('personaEditor.fields.traits'),
              t('personaEditor.placeholders.traits'),
            )}
            {list(
              'interests',
              t('personaEditor.fields.interests'),
              t('personaEditor.placeholders.interests'),
            )}
            {list(
              'values',
              t('personaEditor.fields.values'),
              t('personaEditor.placeholders.values'),
            )}
          </SimpleGrid>
          <Box mt="8px">
            <Text fontSize="sm" fontWeight="bold" color="gray.700" mb="8px">
              {t('personaEditor.fields.bigFive')}
            </Text>
            <SimpleGrid columns={{ base: 1, sm: 2, md: 3, xl: 5 }} gap="12px">
              {BIG_FIVE.map((b) => (
                <Labelled
                  key={b}
                  field={`big_five.${b}`}
                  label={t(`personaDetail.bigFive.${b}`)}
                  error={errorText(errors[`big_five.${b}`])}
                >
                  <NativeSelect.Root size="sm">
                    <NativeSelect.Field
                      id={fieldId(`big_five.${b}`)}
                      name={`big_five.${b}`}
                      value={form.big_five[b]}
                      onChange={(e) =>
                        set('big_five', {
                          ...form.big_five,
                          [b]: e.target.value as PersonaForm['big_five'][typeof b],
                        })
                      }
                      {...inputStyle}
                    >
                      <option value="">{t('personaEditor.notSaid')}</option>
                      {LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {t(`personaDetail.level.${l}`)}
                        </option>
                      ))}
                    </NativeSelect.Field>
                    <NativeSelect.Indicator />
                  </NativeSelect.Root>
                </Labelled>
              ))}
            </SimpleGrid>
          </Box>
        </Section>

        <Section title={t('personaEditor.sections.work')} disabled={locked}>
          <SimpleGrid columns={{ base: 1, md: 2 }} gap="16px">
            {text('organization', t('personaEditor.fields.organization'), {
              placeholder: t('personaEditor.placeholders.organization'),
            })}
            {text('occupation_description', t('personaEditor.fields.workDescription'), {
              long: true,
            })}
          </SimpleGrid>
          {text('style', t('personaEditor.fields.style'), {
            long: true,
            placeholder: t('personaEditor.placeholders.style'),
            helper: t('personaEditor.help.style'),
          })}
        </Section>

        <Section
          title={t('personaEditor.sections.beliefs')}
          subtitle={t('personaEditor.sections.listsHint')}
          disabled={locked}
        >
          <SimpleGrid columns={{ base: 1, md: 2 }} gap="16px">
            {list('beliefs', t('personaEditor.fields.beliefs'))}
            {list('long_term_goals', t('personaEditor.fields.goals'))}
          </SimpleGrid>
        </Section>

        <Section
          title={t('personaEditor.sections.preferences')}
          subtitle={t('personaEditor.sections.listsHint')}
          disabled={locked}
        >
          <SimpleGrid columns={{ base: 1, md: 3 }} gap="16px">
            {list('likes', t('personaEditor.fields.likes'))}
            {list('dislikes', t('personaEditor.fields.dislikes'))}
            {list('skills', t('personaEditor.fields.skills'))}
          </SimpleGrid>
        </Section>

        <Section title={t('personaEditor.sections.behaviors')} disabled={locked}>
          {list('behaviors', t('personaEditor.fields.behaviors'))}
          <Box id={`${fieldId('routines')}-field`} tabIndex={-1}>
            <Text fontSize="sm" fontWeight="bold" color="gray.700" mb="4px">
              {t('personaEditor.fields.routines')}
            </Text>
            <Text fontSize="xs" color="fg.muted" mb="8px">
              {t('personaEditor.help.routines')}
            </Text>
            {errors.routines ? (
              <Text fontSize="sm" color="red.600" mb="8px" role="alert">
                {errorText(errors.routines)}
              </Text>
            ) : null}
            <Stack gap="10px">
              {form.routines.map((r, i) => (
                <Flex
                  key={r.key}
                  gap="8px"
                  align="flex-start"
                  wrap={{ base: 'wrap', md: 'nowrap' }}
                >
                  <Box w={{ base: '100%', md: '200px' }} flexShrink={0}>
                    <Labelled
                      field={`routines.${i}.when`}
                      label={t('personaEditor.fields.routineWhen')}
                      error={errorText(errors[`routines.${i}.when`])}
                    >
                      <Input
                        id={fieldId(`routines.${i}.when`)}
                        value={r.when}
                        placeholder={t('personaEditor.placeholders.routineWhen')}
                        onChange={(e) =>
                          set(
                            'routines',
                            form.routines.map((x) =>
                              x.key === r.key ? { ...x, when: e.target.value } : x,
                            ),
                          )
                        }
                        {...inputStyle}
                      />
                    </Labelled>
                  </Box>
                  <Box flex="1" minW="200px">
                    <Labelled
                      field={`routines.${i}.what`}
                      label={t('personaEditor.fields.routineWhat')}
                      error={errorText(errors[`routines.${i}.what`])}
                    >
                      <Textarea
                        id={fieldId(`routines.${i}.what`)}
                        value={r.what}
                        rows={1}
                        autoresize
                        onChange={(e) =>
                          set(
                            'routines',
                            form.routines.map((x) =>
                              x.key === r.key ? { ...x, what: e.target.value } : x,
                            ),
                          )
                        }
                        {...inputStyle}
                      />
                    </Labelled>
                  </Box>
                  <IconButton
                    mt={{ base: 0, md: '28px' }}
                    variant="ghost"
                    aria-label={t('personaEditor.removeRoutine', { n: i + 1 })}
                    onClick={() =>
                      set(
                        'routines',
                        form.routines.filter((x) => x.key !== r.key),
                      )
                    }
                  >
                    <TrashIcon boxSize="16px" />
                  </IconButton>
                </Flex>
              ))}
            </Stack>
            <Button
              mt="10px"
              size="sm"
              variant="outline"
              borderRadius="12px"
              onClick={() =>
                set('routines', [...form.routines, { key: rowKey(), when: '', what: '' }])
              }
            >
              <PlusIcon boxSize="14px" />
              {t('personaEditor.addRoutine')}
            </Button>
          </Box>
        </Section>

        <Section title={t('personaEditor.sections.life')} disabled={locked}>
          {text('health', t('personaEditor.fields.health'), { long: true })}
          <Box id={`${fieldId('relationships')}-field`} tabIndex={-1}>
            <Text fontSize="sm" fontWeight="bold" color="gray.700" mb="8px">
              {t('personaEditor.fields.relationships')}
            </Text>
            {errors.relationships ? (
              <Text fontSize="sm" color="red.600" mb="8px" role="alert">
                {errorText(errors.relationships)}
              </Text>
            ) : null}
            <Stack gap="10px">
              {form.relationships.map((r, i) => (
                <Flex
                  key={r.key}
                  gap="8px"
                  align="flex-start"
                  wrap={{ base: 'wrap', md: 'nowrap' }}
                >
                  <Box w={{ base: '100%', md: '220px' }} flexShrink={0}>
                    <Labelled
                      field={`relationships.${i}.name`}
                      label={t('personaEditor.fields.relationshipName')}
                      error={errorText(errors[`relationships.${i}.name`])}
                    >
                      <Input
                        id={fieldId(`relationships.${i}.name`)}
                        value={r.name}
                        onChange={(e) =>
                          set(
                            'relationships',
                            form.relationships.map((x) =>
                              x.key === r.key ? { ...x, name: e.target.value } : x,
                            ),
                          )
                        }
                        {...inputStyle}
                      />
                    </Labelled>
                  </Box>
                  <Box flex="1" minW="200px">
                    <Labelled
                      field={`relationships.${i}.description`}
                      label={t('personaEditor.fields.relationshipDescription')}
                      error={errorText(errors[`relationships.${i}.description`])}
                    >
                      <Input
                        id={fieldId(`relationships.${i}.description`)}
                        value={r.description}
                        placeholder={t('personaEditor.placeholders.relationship')}
                        onChange={(e) =>
                          set(
                            'relationships',
                            form.relationships.map((x) =>
                              x.key === r.key ? { ...x, description: e.target.value } : x,
                            ),
                          )
                        }
                        {...inputStyle}
                      />
                    </Labelled>
                  </Box>
                  <IconButton
                    mt={{ base: 0, md: '28px' }}
                    variant="ghost"
                    aria-label={t('personaEditor.removeRelationship', { n: i + 1 })}
                    onClick={() =>
                      set(
                        'relationships',
                        form.relationships.filter((x) => x.key !== r.key),
                      )
                    }
                  >
                    <TrashIcon boxSize="16px" />
                  </IconButton>
                </Flex>
              ))}
            </Stack>
            <Button
              mt="10px"
              size="sm"
              variant="outline"
              borderRadius="12px"
              onClick={() =>
                set('relationships', [
                  ...form.relationships,
                  { key: rowKey(), name: '', description: '' },
                ])
              }
            >
              <PlusIcon boxSize="14px" />
              {t('personaEditor.addRelationship')}
            </Button>
          </Box>
          {list('other_facts', t('personaEditor.fields.otherFacts'))}
        </Section>

        <Section
          title={t('personaEditor.sections.tags')}
          subtitle={t('personaEditor.sections.tagsHint')}
        >
          <Labelled
            field="tags"
            label={t('personaEditor.fields.tags')}
            error={errorText(errors.tags)}
            helper={t('personaEditor.help.tags', { max: TAGS_MAX })}
          >
            <Input
              id={fieldId('tags')}
              name="tags"
              value={form.tags}
              onChange={(e) => set('tags', e.target.value)}
              placeholder={t('personaEditor.placeholders.tags')}
              {...inputStyle}
            />
          </Labelled>
        </Section>

        {failure ? <ActionError error={failure} onRetry={submit} testId="editor-failure" /> : null}

        <Card
          position="sticky"
          bottom={{ base: 0, md: '12px' }}
          zIndex="docked"
          py="14px"
          boxShadow="floating"
        >
          <Flex gap="10px" justify="flex-end" align="center" wrap="wrap">
            {dirty ? (
              <Text fontSize="sm" color="fg.muted" me="auto">
                {t('personaEditor.unsaved')}
              </Text>
            ) : null}
            <Button asChild variant="outline" borderRadius="12px">
              <RouterLink
                to={persona ? `/personas/${encodeURIComponent(persona.id)}` : '/personas'}
              >
                {t('personaEditor.cancel')}
              </RouterLink>
            </Button>
            <Button
              type="submit"
              colorPalette="teal"
              borderRadius="12px"
              loading={saving}
              data-testid="save-persona"
            >
              {mode === 'new' ? t('personaEditor.create') : t('personaEditor.save')}
            </Button>
          </Flex>
        </Card>
      </Stack>

      <ConfirmDialog
        open={blocker.state === 'blocked'}
        onClose={() => blocker.reset?.()}
        title={t('personaEditor.leave.title')}
        confirmLabel={t('personaEditor.leave.confirm')}
        cancelLabel={t('personaDetail.actions.cancel')}
        onConfirm={() => blocker.proceed?.()}
      >
        {t('personaEditor.leave.text')}
      </ConfirmDialog>
    </form>
  );
}

function EditorSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="24px" aria-busy="true" aria-label={t('common.loading')}>
      {[0, 1, 2].map((i) => (
        <Card key={i}>
          <Skeleton h="20px" w="30%" mb="16px" />
          <SkeletonText noOfLines={4} />
        </Card>
      ))}
    </Stack>
  );
}

export default function PersonaEditor() {
  const { t } = useTranslation();
  const { personaId } = useParams();
  const mode = personaId ? 'edit' : 'new';
  const me = useMe();
  const usage = useUsage();
  const q = usePersona(personaId);
  const canFields = me.data?.plan.custom_personas ?? false;
  const meter = usage.data?.personas;
  const full = mode === 'new' && !!meter && meter.limit !== null && meter.used >= meter.limit;

  if (me.isPending || (mode === 'edit' && q.isPending)) return <EditorSkeleton />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (mode === 'edit' && q.isError)
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;

  if (mode === 'new' && !canFields)
    return (
      <Card>
        <CardHeader title={t('personaEditor.newTitle')} />
        <Stack gap="16px">
          <UpgradePrompt
            testId="editor-gate"
            title={t('personaEditor.gate.title')}
            actionLabel={t('actions.upgrade')}
            text={t('personaEditor.gate.text')}
            extra={
              <Button asChild size="sm" variant="outline" borderRadius="12px">
                <RouterLink to="/personas/templates">
                  {t('personaEditor.gate.templates')}
                </RouterLink>
              </Button>
            }
          />
        </Stack>
      </Card>
    );

  return (
    <Stack gap="24px">
      {full ? (
        <UpgradePrompt
          testId="editor-full"
          title={t('personaEditor.full.title')}
          actionLabel={t('actions.upgrade')}
          text={t('personaEditor.full.text', { limit: meter?.limit ?? 0 })}
        />
      ) : null}
      <EditorForm
        key={personaId ?? 'new'}
        mode={mode}
        persona={mode === 'edit' ? q.data : undefined}
        canFields={canFields}
      />
    </Stack>
  );
}
