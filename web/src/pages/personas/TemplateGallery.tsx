import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Input,
  InputGroup,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { useAddTemplatePersona, usePersonaTemplates, usePersonas } from '../../api/personas';
import { useUsage } from '../../api/usage';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { CheckIcon, PlusIcon, SearchIcon } from '../../components/Icons';
import { CardGridSkeleton } from '../../components/Skeletons';
import { UsageMeter } from '../../components/UsageMeter';
import { PersonaCard } from './PersonaCard';
import { matchesTemplate } from './templateSearch';

export default function TemplateGallery() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const templates = usePersonaTemplates();
  const usage = useUsage();
  const mine = usePersonas({ type: 'template', limit: 200 });
  const add = useAddTemplatePersona();
  const [query, setQuery] = useState('');
  const [language, setLanguage] = useState('');
  const [state, setState] = useState<Record<string, 'pending' | 'added' | unknown>>({});
  const [lastError, setLastError] = useState<unknown>(null);

  const addedCount = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of mine.data?.personas ?? [])
      if (p.template_id) m.set(p.template_id, (m.get(p.template_id) ?? 0) + 1);
    return m;
  }, [mine.data]);

  const languages = useMemo(
    () =>
      Array.from(
        new Set((templates.data?.templates ?? []).map((x) => x.demographics.language ?? '')),
      )
        .filter(Boolean)
        .sort(),
    [templates.data],
  );

  const shown = (templates.data?.templates ?? []).filter(
    (x) => matchesTemplate(x, query) && (!language || x.demographics.language === language),
  );

  const meter = usage.data?.personas;
  const full = meter ? meter.limit !== null && meter.used >= meter.limit : false;

  const addOne = (id: string) => {
    setState((s) => ({ ...s, [id]: 'pending' }));
    setLastError(null);
    add.mutate(id, {
      onSuccess: () => setState((s) => ({ ...s, [id]: 'added' })),
      onError: (e) => {
        setState((s) => ({ ...s, [id]: e }));
        setLastError(e);
      },
    });
  };

  return (
    <Stack gap="24px">
      <Card>
        <CardHeader
          title={t('personas.gallery.title')}
          subtitle={t('personas.gallery.subtitle', { count: templates.data?.total ?? 0 })}
          actions={
            <Button
              variant="outline"
              size="sm"
              borderRadius="12px"
              onClick={() => navigate('/personas')}
            >
              {t('personas.gallery.backToList')}
            </Button>
          }
        />
        <SimpleGrid columns={{ base: 1, md: 3 }} gap="16px" alignItems="end">
          <Field.Root gridColumn={{ md: 'span 2' }}>
            <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
              {t('personas.gallery.searchLabel')}
            </Field.Label>
            <InputGroup startElement={<SearchIcon boxSize="16px" color="fg.muted" />}>
              <Input
                type="search"
                data-testid="template-search"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                placeholder={t('personas.gallery.searchPlaceholder')}
                borderRadius="card"
                bg="white"
              />
            </InputGroup>
          </Field.Root>
          <Field.Root>
            <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
              {t('personas.filters.language')}
            </Field.Label>
            <NativeSelect.Root>
              <NativeSelect.Field
                value={language}
                onChange={(e) => setLanguage(e.target.value)}
                borderRadius="card"
                bg="white"
              >
                <option value="">{t('personas.filters.any')}</option>
                {languages.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
        </SimpleGrid>
        {meter ? (
          <Box mt="20px" maxW="480px" data-testid="gallery-meter">
            <UsageMeter label={t('usage.meters.personas')} meter={meter} />
          </Box>
        ) : null}
      </Card>

      {full ? (
        <Card borderLeft="4px solid" borderColor="orange.400" data-testid="gallery-full">
          <Flex gap="16px" align="center" wrap="wrap">
            <Box flex="1" minW="220px">
              <Text fontWeight="bold">{t('personas.gallery.fullTitle')}</Text>
              <Text color="fg.muted" fontSize="sm">
                {t('personas.gallery.fullText')}
              </Text>
            </Box>
            <Button colorPalette="teal" onClick={() => navigate('/billing')}>
              {t('actions.upgrade')}
            </Button>
          </Flex>
        </Card>
      ) : null}

      {lastError && !(isApiError(lastError) && lastError.code === 'plan_limit' && full) ? (
        <ErrorState error={lastError} onRetry={() => setLastError(null)} />
      ) : null}

      {templates.isPending ? (
        <CardGridSkeleton count={6} />
      ) : templates.isError ? (
        <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
      ) : shown.length === 0 ? (
        <Card>
          <EmptyState
            icon={<SearchIcon boxSize="26px" />}
            title={t('personas.gallery.noMatchTitle')}
            description={t('personas.gallery.noMatchText')}
            actions={
              <Button
                variant="outline"
                size="sm"
                onClick={() => {
                  setQuery('');
                  setLanguage('');
                }}
              >
                {t('personas.filters.clear')}
              </Button>
            }
          />
        </Card>
      ) : (
        <SimpleGrid
          columns={{ base: 1, md: 2, xl: 3 }}
          gap="24px"
          as="ul"
          listStyleType="none"
          m={0}
          p={0}
          data-testid="template-grid"
        >
          {shown.map((tpl) => {
            const s = state[tpl.id];
            const count = addedCount.get(tpl.id) ?? 0;
            const justAdded = s === 'added';
            return (
              <li key={tpl.id}>
                <PersonaCard
                  persona={tpl}
                  tags={tpl.tags}
                  testId="template-card"
                  badge={
                    count > 0 ? (
                      <Badge
                        colorPalette="green"
                        variant="subtle"
                        borderRadius="badge"
                        textTransform="none"
                      >
                        {t('personas.gallery.inWorkspace', { count })}
                      </Badge>
                    ) : null
                  }
                  footer={
                    <Flex justify="flex-end" align="center" gap="8px">
                      {justAdded ? (
                        <Text
                          fontSize="sm"
                          color="green.700"
                          display="flex"
                          alignItems="center"
                          gap="4px"
                          role="status"
                        >
                          <CheckIcon boxSize="14px" />
                          {t('personas.gallery.added')}
                        </Text>
                      ) : null}
                      <Button
                        size="sm"
                        colorPalette="teal"
                        variant={count > 0 || justAdded ? 'outline' : 'solid'}
                        borderRadius="12px"
                        loading={s === 'pending'}
                        disabled={full}
                        aria-label={t('personas.gallery.addNamed', { name: tpl.name })}
                        onClick={() => addOne(tpl.id)}
                        data-testid="add-template"
                      >
                        <PlusIcon boxSize="14px" />
                        {count > 0 || justAdded
                          ? t('personas.gallery.addAgain')
                          : t('personas.gallery.add')}
                      </Button>
                    </Flex>
                  }
                />
              </li>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}
