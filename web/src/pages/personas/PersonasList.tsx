import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Input,
  InputGroup,
  SimpleGrid,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useLocation, useNavigate, useSearchParams } from 'react-router';
import { usePersonas } from '../../api/personas';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PersonasIcon, PlusIcon, SearchIcon, WandIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { SelectFilter } from '../../components/SelectFilter';
import { CardGridSkeleton } from '../../components/Skeletons';
import { useMe } from '../../api/auth';
import { formatNumber } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { GenerateDialog } from './GenerateDialog';
import { PersonaCard } from './PersonaCard';
import {
  GENDERS,
  INCOME_LEVELS,
  PAGE_SIZE,
  PERSONA_TYPES,
  SORTS,
  filtersFromParams,
  hasActiveFilters,
} from './filters';

function TextFilter({
  label,
  value,
  onCommit,
  type = 'text',
  placeholder,
}: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
  type?: string;
  placeholder?: string;
}) {
  const [v, setV] = useState(value);
  const [prev, setPrev] = useState(value);
  if (value !== prev) {
    // the URL changed under us (cleared filters, back button): show it
    setPrev(value);
    setV(value);
  }
  const debounced = useDebounced(v, 400);
  useEffect(() => {
    if (debounced !== value) onCommit(debounced);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  return (
    <Field.Root>
      <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
        {label}
      </Field.Label>
      <Input
        size="sm"
        borderRadius="12px"
        bg="white"
        type={type}
        value={v}
        placeholder={placeholder}
        onChange={(e) => setV(e.target.value)}
        {...(type === 'number' ? { min: 18, max: 100, inputMode: 'numeric' as const } : {})}
      />
    </Field.Root>
  );
}

export default function PersonasList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const q = usePersonas(filters);
  const me = useMe();

  const setParam = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'page') next.delete('page');
        return next;
      },
      { replace: key !== 'page' },
    );
  };

  const [search, setSearch] = useState(params.get('q') ?? '');
  const debouncedSearch = useDebounced(search, 300);
  useEffect(() => {
    if ((params.get('q') ?? '') !== debouncedSearch) setParam('q', debouncedSearch);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedSearch]);

  const filtered = hasActiveFilters(filters);
  const [showFilters, setShowFilters] = useState(false);
  const activeCount = Object.keys(filters).filter(
    (k) => !['limit', 'offset', 'sort', 'q'].includes(k),
  ).length;
  const page = Math.floor((filters.offset ?? 0) / PAGE_SIZE) + 1;
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const canCustom = me.data?.plan.custom_personas ?? false;
  const [generating, setGenerating] = useState(false);
  const location = useLocation();
  const [deleted, setDeleted] = useState<string | null>(
    (location.state as { deleted?: string } | null)?.deleted ?? null,
  );

  const clearAll = () => {
    setSearch('');
    setParams(new URLSearchParams(), { replace: true });
  };

  return (
    <Stack gap="24px">
      {deleted ? (
        <Flex
          role="status"
          bg="green.50"
          color="green.800"
          borderRadius="12px"
          px="16px"
          py="10px"
          align="center"
          gap="12px"
          data-testid="persona-deleted"
        >
          <Text flex="1" fontSize="sm">
            {t('personaDetail.delete.done', { name: deleted })}
          </Text>
          <Button size="xs" variant="ghost" onClick={() => setDeleted(null)}>
            {t('personaDetail.actions.dismiss')}
          </Button>
        </Flex>
      ) : null}
      <GenerateDialog open={generating} onClose={() => setGenerating(false)} />
      <Card>
        <CardHeader
          title={t('personas.list.title')}
          subtitle={
            q.data
              ? t('personas.list.count', {
                  count: q.data.total,
                  formatted: formatNumber(q.data.total, i18n.language),
                })
              : t('personas.list.subtitle')
          }
          actions={
            <>
              <Button
                colorPalette="teal"
                size="sm"
                borderRadius="12px"
                onClick={() => navigate('/personas/templates')}
                data-testid="open-gallery"
              >
                <PlusIcon boxSize="16px" />
                {t('personas.list.addFromTemplates')}
              </Button>
              {canCustom ? (
                <>
                  <Button asChild size="sm" variant="outline" borderRadius="12px">
                    <RouterLink to="/personas/new" data-testid="new-persona">
                      <PlusIcon boxSize="16px" />
                      {t('personaEditor.newButton')}
                    </RouterLink>
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    colorPalette="teal"
                    borderRadius="12px"
                    onClick={() => setGenerating(true)}
                    data-testid="open-generate"
                  >
                    <WandIcon boxSize="16px" />
                    {t('generate.open')}
                  </Button>
                </>
              ) : null}
              {me.data && !canCustom ? (
                <Button
                  size="sm"
                  variant="outline"
                  borderRadius="12px"
                  title={t('personas.list.customGateHint')}
                  onClick={() => navigate('/billing')}
                >
                  {t('personas.list.customGate')}
                </Button>
              ) : null}
            </>
          }
        />
        <form
          role="search"
          aria-label={t('personas.list.searchLabel')}
          onSubmit={(e) => {
            e.preventDefault();
            setParam('q', search.trim());
          }}
        >
          <Field.Root>
            <Field.Label srOnly>{t('personas.list.searchLabel')}</Field.Label>
            <InputGroup startElement={<SearchIcon boxSize="16px" color="fg.muted" />}>
              <Input
                data-testid="persona-search"
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder={t('personas.list.searchPlaceholder')}
                borderRadius="card"
                bg="white"
              />
            </InputGroup>
          </Field.Root>
        </form>
        <Button
          hideFrom="md"
          mt="12px"
          size="sm"
          variant="outline"
          borderRadius="12px"
          aria-expanded={showFilters}
          aria-controls="persona-filters"
          onClick={() => setShowFilters((v) => !v)}
        >
          {showFilters
            ? t('personas.filters.hide')
            : activeCount
              ? t('personas.filters.show', { count: activeCount })
              : t('personas.filters.showNone')}
        </Button>
        <SimpleGrid
          id="persona-filters"
          columns={{ base: 2, md: 4, '2xl': 8 }}
          gap="12px"
          mt="16px"
          display={{ base: showFilters ? 'grid' : 'none', md: 'grid' }}
        >
          <SelectFilter
            label={t('personas.filters.type')}
            value={filters.type ?? ''}
            onChange={(v) => setParam('type', v)}
          >
            <option value="">{t('personas.filters.any')}</option>
            {PERSONA_TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`personas.type.${x}`)}
              </option>
            ))}
          </SelectFilter>
          <SelectFilter
            label={t('personas.filters.gender')}
            value={filters.gender ?? ''}
            onChange={(v) => setParam('gender', v)}
          >
            <option value="">{t('personas.filters.any')}</option>
            {GENDERS.map((x) => (
              <option key={x} value={x}>
                {t(`personas.gender.${x}`)}
              </option>
            ))}
          </SelectFilter>
          <SelectFilter
            label={t('personas.filters.income')}
            value={filters.income_level ?? ''}
            onChange={(v) => setParam('income_level', v)}
          >
            <option value="">{t('personas.filters.any')}</option>
            {INCOME_LEVELS.map((x) => (
              <option key={x} value={x}>
                {t(`personas.income.${x}`)}
              </option>
            ))}
          </SelectFilter>
          <TextFilter
            label={t('personas.filters.ageMin')}
            type="number"
            value={params.get('age_min') ?? ''}
            onCommit={(v) => setParam('age_min', v)}
          />
          <TextFilter
            label={t('personas.filters.ageMax')}
            type="number"
            value={params.get('age_max') ?? ''}
            onCommit={(v) => setParam('age_max', v)}
          />
          <TextFilter
            label={t('personas.filters.country')}
            value={params.get('country') ?? ''}
            onCommit={(v) => setParam('country', v)}
            placeholder={t('personas.filters.countryPlaceholder')}
          />
          <TextFilter
            label={t('personas.filters.language')}
            value={params.get('language') ?? ''}
            onCommit={(v) => setParam('language', v)}
            placeholder="pt-BR"
          />
          <SelectFilter
            label={t('personas.filters.sort')}
            value={filters.sort ?? '-created_at'}
            onChange={(v) => setParam('sort', v === '-created_at' ? '' : v)}
          >
            {SORTS.map((x) => (
              <option key={x} value={x}>
                {t(`personas.sort.${x}`)}
              </option>
            ))}
          </SelectFilter>
        </SimpleGrid>
        {filtered ? (
          <Flex mt="12px" justify="flex-end">
            <Button size="xs" variant="ghost" color="teal.700" onClick={clearAll}>
              {t('personas.filters.clear')}
            </Button>
          </Flex>
        ) : null}
      </Card>

      <Box aria-live="polite" aria-busy={q.isFetching}>
        {q.isPending ? (
          <CardGridSkeleton />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.personas.length === 0 ? (
          <Card>
            {filtered ? (
              <EmptyState
                icon={<SearchIcon boxSize="26px" />}
                title={t('personas.list.noMatchTitle')}
                description={t('personas.list.noMatchText')}
                actions={
                  <Button variant="outline" size="sm" onClick={clearAll}>
                    {t('personas.filters.clear')}
                  </Button>
                }
              />
            ) : (
              <EmptyState
                icon={<PersonasIcon boxSize="26px" />}
                title={t('personas.list.emptyTitle')}
                description={t('personas.list.emptyText')}
                actions={
                  <Button
                    colorPalette="teal"
                    size="sm"
                    onClick={() => navigate('/personas/templates')}
                  >
                    {t('personas.list.browseTemplates')}
                  </Button>
                }
              />
            )}
          </Card>
        ) : (
          <Stack gap="24px">
            <SimpleGrid
              columns={{ base: 1, md: 2, xl: 3 }}
              gap="24px"
              as="ul"
              listStyleType="none"
              m={0}
              p={0}
              data-testid="persona-grid"
              opacity={q.isPlaceholderData ? 0.6 : 1}
            >
              {q.data.personas.map((p) => (
                <li key={p.id}>
                  <PersonaCard
                    persona={p}
                    tags={p.tags}
                    testId="persona-card"
                    to={`/personas/${encodeURIComponent(p.id)}`}
                    badge={
                      <Badge
                        colorPalette={
                          p.type === 'template'
                            ? 'teal'
                            : p.type === 'generated'
                              ? 'purple'
                              : 'blue'
                        }
                        variant="subtle"
                        borderRadius="badge"
                        textTransform="none"
                      >
                        {t(`personas.type.${p.type}`)}
                      </Badge>
                    }
                  />
                </li>
              ))}
            </SimpleGrid>
            <Pager
              page={page}
              pages={pages}
              onPage={(p) => setParam('page', p > 1 ? String(p) : '')}
              showing={{
                from: (filters.offset ?? 0) + 1,
                to: (filters.offset ?? 0) + q.data.personas.length,
                total,
              }}
            />
          </Stack>
        )}
      </Box>
    </Stack>
  );
}
