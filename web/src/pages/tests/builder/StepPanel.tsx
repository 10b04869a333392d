import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Flex,
  Input,
  InputGroup,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../../../api/auth';
import { usePersonas, usePersonaTemplates, type PersonaFilters } from '../../../api/personas';
import { useLibraryOptions } from '../../../api/tests';
import type { IncomeLevel, PersonaType } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { SearchIcon } from '../../../components/Icons';
import { PersonaAvatar } from '../../../components/PersonaAvatar';
import { formatNumber } from '../../../lib/format';
import { useDebounced } from '../../../lib/useDebounced';
import { PathError, SelectField, TextAreaField, TextField } from './fields';
import { filterSpec, PANEL_MODES, type BuilderForm, type PanelMode } from './form';
import { LIMITS } from './validate';

type SetForm = (f: (prev: BuilderForm) => BuilderForm) => void;

const GENDERS = ['female', 'male', 'non-binary'];
const INCOMES: IncomeLevel[] = ['low', 'lower_middle', 'middle', 'upper_middle', 'high'];
const PERSONA_TYPES: PersonaType[] = ['template', 'custom', 'generated'];
const PICK_PAGE = 50;

function PersonaPicker({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const q = useDebounced(search.trim(), 300);
  const list = usePersonas({ q: q || undefined, limit: PICK_PAGE, offset, sort: 'name' });
  const selected = new Set(form.personaIds);
  const toggle = (id: string, on: boolean) =>
    setForm((f) => ({
      ...f,
      personaIds: on ? [...f.personaIds, id] : f.personaIds.filter((x) => x !== id),
    }));
  const shown = list.data?.personas ?? [];
  const allShown = shown.length > 0 && shown.every((p) => selected.has(p.id));
  const total = list.data?.total ?? 0;

  if (!q && list.data && total === 0)
    return (
      <Alert.Root status="info" borderRadius="card">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{t('builder.panel.noPersonas')}</Alert.Title>
          <Alert.Description>{t('builder.panel.noPersonasText')}</Alert.Description>
        </Alert.Content>
        <Button size="sm" colorPalette="teal" onClick={() => navigate('/personas/templates')}>
          {t('builder.panel.addPersonas')}
        </Button>
      </Alert.Root>
    );

  return (
    <Box>
      <Flex gap="12px" align="center" wrap="wrap" mb="10px">
        <InputGroup
          flex="1"
          minW="200px"
          startElement={<SearchIcon boxSize="16px" color="fg.muted" />}
        >
          <Input
            type="search"
            aria-label={t('builder.panel.search')}
            placeholder={t('builder.panel.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
            borderRadius="12px"
            bg="white"
            size="sm"
          />
        </InputGroup>
        <Text
          fontSize="sm"
          color="gray.700"
          fontWeight="bold"
          data-testid="selected-count"
          aria-live="polite"
        >
          {t('builder.panel.selected', { count: form.personaIds.length })}
        </Text>
      </Flex>
      <Flex gap="8px" mb="8px" wrap="wrap">
        <Button
          size="xs"
          variant="outline"
          disabled={shown.length === 0 || allShown}
          onClick={() =>
            setForm((f) => ({
              ...f,
              personaIds: [...new Set([...f.personaIds, ...shown.map((p) => p.id)])],
            }))
          }
          data-testid="select-shown"
        >
          {t('builder.panel.selectShown', { count: shown.length })}
        </Button>
        <Button
          size="xs"
          variant="ghost"
          disabled={form.personaIds.length === 0}
          onClick={() => setForm((f) => ({ ...f, personaIds: [] }))}
        >
          {t('builder.panel.clearSelection')}
        </Button>
      </Flex>
      {list.isPending ? (
        <Stack gap="6px">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h="44px" />
          ))}
        </Stack>
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />
      ) : shown.length === 0 ? (
        <Text fontSize="sm" color="fg.muted">
          {t('builder.panel.noMatch')}
        </Text>
      ) : (
        <SimpleGrid
          columns={{ base: 1, md: 2 }}
          gap="6px"
          as="ul"
          listStyleType="none"
          m={0}
          p={0}
          maxH="380px"
          overflowY="auto"
          data-testid="persona-picker"
        >
          {shown.map((p) => {
            const on = selected.has(p.id);
            const d = p.demographics;
            return (
              <li key={p.id}>
                <Checkbox.Root
                  checked={on}
                  onCheckedChange={(e) => toggle(p.id, !!e.checked)}
                  colorPalette="teal"
                  w="100%"
                  p="8px"
                  borderRadius="12px"
                  borderWidth="1px"
                  borderColor={on ? 'teal.300' : 'gray.100'}
                  bg={on ? 'teal.50' : 'white'}
                  data-testid="persona-option"
                >
                  <Checkbox.HiddenInput />
                  <Checkbox.Control />
                  <Checkbox.Label flex="1" minW={0}>
                    <Flex gap="10px" align="center">
                      <PersonaAvatar name={p.name} size="32px" />
                      <Box minW={0}>
                        <Text fontSize="sm" fontWeight="bold" color="gray.700" truncate>
                          {p.name}
                        </Text>
                        <Text fontSize="xs" color="fg.muted" truncate>
                          {[t('personas.card.age', { age: d.age }), d.occupation, d.location]
                            .filter(Boolean)
                            .join(' · ')}
                        </Text>
                      </Box>
                    </Flex>
                  </Checkbox.Label>
                </Checkbox.Root>
              </li>
            );
          })}
        </SimpleGrid>
      )}
      {total > PICK_PAGE ? (
        <Flex mt="8px" gap="8px" align="center" justify="flex-end">
          <Text fontSize="xs" color="fg.muted">
            {t('common.showing', {
              from: formatNumber(offset + 1, i18n.language),
              to: formatNumber(offset + shown.length, i18n.language),
              total: formatNumber(total, i18n.language),
            })}
          </Text>
          <Button
            size="xs"
            variant="outline"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PICK_PAGE))}
          >
            {t('common.previous')}
          </Button>
          <Button
            size="xs"
            variant="outline"
            disabled={offset + PICK_PAGE >= total}
            onClick={() => setOffset(offset + PICK_PAGE)}
          >
            {t('common.next')}
          </Button>
        </Flex>
      ) : null}
    </Box>
  );
}

/** How many of the workspace's personas a filter panel holds now (GET /api/personas, one row). */
function FilterCount({ form }: { form: BuilderForm }) {
  const { t, i18n } = useTranslation();
  const spec = useDebounced(filterSpec(form.filter), 400);
  const { tag, ...rest } = spec;
  const params: PersonaFilters = { ...(rest as PersonaFilters), limit: 1 };
  if (tag?.length) params.tag = tag.join(',');
  const q = usePersonas(params);
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} compact />;
  return (
    <Text
      fontSize="sm"
      fontWeight="bold"
      color={q.data?.total === 0 ? 'red.600' : 'gray.700'}
      aria-live="polite"
      data-testid="filter-count"
    >
      {q.data
        ? q.data.total === 0
          ? t('builder.panel.filterNone')
          : t('builder.panel.filterCount', {
              count: q.data.total,
              formatted: formatNumber(q.data.total, i18n.language),
            })
        : t('common.loading')}
    </Text>
  );
}

function FilterPanel({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const f = form.filter;
  const set = (k: keyof BuilderForm['filter']) => (v: string) =>
    setForm((x) => ({ ...x, filter: { ...x.filter, [k]: v } }));
  const base = 'config.panel.filter';
  return (
    <Stack gap="12px">
      <Text fontSize="sm" color="fg.muted">
        {t('builder.panel.filterHelp')}
      </Text>
      <SimpleGrid columns={{ base: 1, sm: 2, lg: 3 }} gap="12px">
        <TextField
          path={`${base}.q`}
          label={t('builder.panel.f.q')}
          value={f.q}
          onValue={set('q')}
          optional
        />
        <SelectField
          path={`${base}.gender`}
          label={t('personas.filters.gender')}
          value={f.gender}
          onValue={set('gender')}
        >
          <option value="">{t('personas.filters.any')}</option>
          {GENDERS.map((g) => (
            <option key={g} value={g}>
              {t(`personas.gender.${g}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          path={`${base}.income_level`}
          label={t('personas.filters.income')}
          value={f.income_level}
          onValue={set('income_level')}
        >
          <option value="">{t('personas.filters.any')}</option>
          {INCOMES.map((x) => (
            <option key={x} value={x}>
              {t(`personas.income.${x}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          path={`${base}.age_min`}
          label={t('personas.filters.ageMin')}
          value={f.age_min}
          onValue={set('age_min')}
          inputMode="numeric"
        />
        <TextField
          path={`${base}.age_max`}
          label={t('personas.filters.ageMax')}
          value={f.age_max}
          onValue={set('age_max')}
          inputMode="numeric"
        />
        <TextField
          path={`${base}.country`}
          label={t('personas.filters.country')}
          value={f.country}
          onValue={set('country')}
          placeholder={t('personas.filters.countryPlaceholder')}
        />
        <TextField
          path={`${base}.occupation`}
          label={t('builder.panel.f.occupation')}
          value={f.occupation}
          onValue={set('occupation')}
        />
        <TextField
          path={`${base}.language`}
          label={t('personas.filters.language')}
          value={f.language}
          onValue={set('language')}
          placeholder="pt-BR"
        />
        <SelectField
          path={`${base}.type`}
          label={t('personas.filters.type')}
          value={f.type}
          onValue={set('type')}
        >
          <option value="">{t('personas.filters.any')}</option>
          {PERSONA_TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`personas.type.${x}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          path={`${base}.tag`}
          label={t('builder.panel.f.tags')}
          helper={t('builder.panel.f.tagsHelp')}
          value={f.tags}
          onValue={set('tags')}
        />
      </SimpleGrid>
      <FilterCount form={form} />
    </Stack>
  );
}

function LibraryPanel({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const libs = useLibraryOptions();
  if (libs.isPending) return <Skeleton h="60px" />;
  if (libs.isError)
    return <ErrorState error={libs.error} onRetry={() => void libs.refetch()} compact />;
  if (libs.data.libraries.length === 0)
    return (
      <Alert.Root status="info" borderRadius="card">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{t('builder.panel.noLibraries')}</Alert.Title>
          <Alert.Description>{t('builder.panel.noLibrariesText')}</Alert.Description>
        </Alert.Content>
        <Button size="sm" variant="outline" onClick={() => navigate('/personas')}>
          {t('builder.panel.goToPersonas')}
        </Button>
      </Alert.Root>
    );
  const chosen = libs.data.libraries.find((l) => l.id === form.libraryId);
  return (
    <Stack gap="8px">
      <SelectField
        path="config.panel.library_id"
        label={t('builder.panel.library')}
        value={form.libraryId}
        onValue={(libraryId) => setForm((f) => ({ ...f, libraryId }))}
        testId="library-select"
      >
        <option value="">{t('builder.panel.pickLibrary')}</option>
        {libs.data.libraries.map((l) => (
          <option key={l.id} value={l.id}>
            {t('builder.panel.libraryOption', { name: l.name, count: l.persona_count })}
          </option>
        ))}
      </SelectField>
      {chosen && chosen.persona_count === 0 ? (
        <Text fontSize="sm" color="red.600">
          {t('builder.panel.libraryEmpty')}
        </Text>
      ) : null}
    </Stack>
  );
}

function TemplatesPanel() {
  const { t } = useTranslation();
  const templates = usePersonaTemplates();
  return (
    <Text fontSize="sm" color="gray.700">
      {templates.data
        ? t('builder.panel.templatesText', { count: templates.data.total })
        : t('builder.panel.templatesTextLoading')}
    </Text>
  );
}

function GeneratePanel({
  form,
  setForm,
  allowed,
}: {
  form: BuilderForm;
  setForm: SetForm;
  allowed: boolean | undefined;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const fg = form.type === 'focus_group';
  if (allowed === false)
    return (
      <Alert.Root status="warning" borderRadius="card" data-testid="generate-gate">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{t('builder.panel.generateGateTitle')}</Alert.Title>
          <Alert.Description>{t('builder.panel.generateGateText')}</Alert.Description>
        </Alert.Content>
        <Button size="sm" colorPalette="teal" onClick={() => navigate('/billing')}>
          {t('actions.upgrade')}
        </Button>
      </Alert.Root>
    );
  return (
    <Stack gap="12px">
      <Box maxW="220px">
        <TextField
          path="config.panel.generate"
          label={t('builder.panel.generateCount')}
          helper={t('builder.panel.generateCountHelp', {
            min: fg ? LIMITS.focusGroupMin : 1,
            max: fg ? LIMITS.focusGroupMax : LIMITS.generate,
          })}
          value={form.generateCount}
          onValue={(generateCount) => setForm((f) => ({ ...f, generateCount }))}
          inputMode="numeric"
          required
        />
      </Box>
      <TextAreaField
        path="config.panel.description"
        label={t('builder.panel.generateDescription')}
        helper={t('builder.panel.generateDescriptionHelp')}
        value={form.generateDescription}
        onValue={(generateDescription) => setForm((f) => ({ ...f, generateDescription }))}
        required
        maxLength={2000}
      />
      <Text fontSize="xs" color="fg.muted">
        {t('builder.panel.generateNote')}
      </Text>
    </Stack>
  );
}

export function StepPanel({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const me = useMe();
  const canGenerate = me.data?.plan.custom_personas;
  const setMode = (panelMode: PanelMode) => setForm((f) => ({ ...f, panelMode }));
  return (
    <Stack gap="18px">
      <Text fontSize="sm" color="fg.muted">
        {form.type === 'focus_group'
          ? t('builder.panel.introFocusGroup', {
              min: LIMITS.focusGroupMin,
              max: LIMITS.focusGroupMax,
            })
          : t('builder.panel.intro')}
      </Text>
      <SimpleGrid
        columns={{ base: 1, sm: 2, lg: 5 }}
        gap="10px"
        role="radiogroup"
        aria-label={t('builder.panel.mode')}
      >
        {PANEL_MODES.map((m) => {
          const checked = form.panelMode === m;
          return (
            <Box
              as="button"
              key={m}
              role="radio"
              aria-checked={checked}
              onClick={() => setMode(m)}
              data-testid={`panel-${m}`}
              textAlign="left"
              display="flex"
              flexDirection="column"
              justifyContent="flex-start"
              p="12px"
              borderRadius="card"
              borderWidth="2px"
              borderColor={checked ? 'teal.400' : 'gray.100'}
              bg={checked ? 'teal.50' : 'white'}
              _hover={{ borderColor: checked ? 'teal.400' : 'gray.300' }}
            >
              <Flex align="center" gap="6px" wrap="wrap">
                <Text fontWeight="bold" fontSize="sm" color="gray.700">
                  {t(`builder.panel.modes.${m}`)}
                </Text>
                {m === 'generate' && canGenerate === false ? (
                  <Badge
                    colorPalette="orange"
                    variant="subtle"
                    borderRadius="badge"
                    textTransform="none"
                  >
                    {t('builder.panel.upgradeBadge')}
                  </Badge>
                ) : null}
              </Flex>
              <Text fontSize="xs" color="fg.muted" mt="2px">
                {t(`builder.panel.modeHelp.${m}`)}
              </Text>
            </Box>
          );
        })}
      </SimpleGrid>
      <Box>
        {form.panelMode === 'personas' ? <PersonaPicker form={form} setForm={setForm} /> : null}
        {form.panelMode === 'library' ? <LibraryPanel form={form} setForm={setForm} /> : null}
        {form.panelMode === 'filter' ? <FilterPanel form={form} setForm={setForm} /> : null}
        {form.panelMode === 'templates' ? <TemplatesPanel /> : null}
        {form.panelMode === 'generate' ? (
          <GeneratePanel form={form} setForm={setForm} allowed={canGenerate} />
        ) : null}
        <PathError path="config.personas" />
        <PathError path="config.panel" />
      </Box>
    </Stack>
  );
}
