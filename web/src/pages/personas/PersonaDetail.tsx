/*
 * /personas/:personaId - one persona: who they are (the whole profile and
 * its validation), an interview with them, and the tests they took part
 * in. The tab is in the URL (?tab=), so links and reloads keep it.
 */
import {
  Badge,
  Box,
  Button,
  DataList,
  Flex,
  Grid,
  Heading,
  Skeleton,
  SkeletonText,
  Stack,
  Tabs,
  Text,
  Wrap,
} from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useDeletePersona, usePersona, type PersonaDetail as Persona } from '../../api/personas';
import { ActionError } from '../../components/ActionError';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { PersonaAvatar } from '../../components/PersonaAvatar';
import { formatDateTime } from '../../lib/format';
import { PersonaInterview } from './PersonaInterview';
import { PersonaProfile } from './PersonaProfile';
import { PersonaRuns } from './PersonaRuns';
import { PersonaValidation } from './PersonaValidation';
import { BAND_PALETTE, fitBand, scorePercent } from './validation';
import { ChatIcon, HistoryIcon, PencilIcon, TrashIcon, UserIcon } from '../../components/Icons';

const TABS = ['profile', 'interview', 'history'] as const;
type Tab = (typeof TABS)[number];

function typePalette(type: string): string {
  return type === 'template' ? 'teal' : type === 'generated' ? 'purple' : 'blue';
}

function Header({ persona, onDelete }: { persona: Persona; onDelete: () => void }) {
  const { t } = useTranslation();
  const d = persona.demographics;
  const line = [t('personas.card.age', { age: d.age }), d.occupation, d.location]
    .filter(Boolean)
    .join(' · ');
  const v = persona.validation;
  return (
    <Card data-testid="persona-header">
      <Flex
        gap={{ base: '14px', md: '20px' }}
        align={{ base: 'flex-start', md: 'center' }}
        wrap="wrap"
      >
        <PersonaAvatar name={persona.name} size="72px" />
        <Box flex="1" minW="200px">
          <Flex gap="8px" align="center" wrap="wrap">
            <Heading
              as="h2"
              fontSize={{ base: 'lg', md: 'xl' }}
              color="gray.700"
              data-testid="persona-name"
            >
              {persona.name}
            </Heading>
            <Badge
              colorPalette={typePalette(persona.type)}
              variant="subtle"
              borderRadius="badge"
              textTransform="none"
            >
              {t(`personas.type.${persona.type}`)}
            </Badge>
            {v ? (
              <Badge
                colorPalette={BAND_PALETTE[fitBand(v.score)]}
                variant="subtle"
                borderRadius="badge"
                textTransform="none"
                data-testid="header-validation"
              >
                {t('personaDetail.validation.badge', { value: scorePercent(v.score) })}
              </Badge>
            ) : null}
          </Flex>
          <Text color="fg.muted" fontSize="sm" mt="2px">
            {line}
          </Text>
          {persona.tags.length ? (
            <Wrap
              gap="6px"
              mt="8px"
              as="ul"
              listStyleType="none"
              p={0}
              aria-label={t('personaDetail.fields.tags')}
            >
              {persona.tags.map((tag) => (
                <li key={tag}>
                  <Badge
                    variant="outline"
                    colorPalette="gray"
                    borderRadius="badge"
                    textTransform="none"
                    fontWeight="normal"
                  >
                    {tag}
                  </Badge>
                </li>
              ))}
            </Wrap>
          ) : null}
        </Box>
        <Flex gap="8px" wrap="wrap" w={{ base: '100%', md: 'auto' }}>
          <Button asChild size="sm" variant="outline" borderRadius="12px">
            <RouterLink
              to={`/personas/${encodeURIComponent(persona.id)}/edit`}
              data-testid="edit-persona"
            >
              <PencilIcon boxSize="14px" />
              {t('personaDetail.actions.edit')}
            </RouterLink>
          </Button>
          <Button
            size="sm"
            variant="outline"
            colorPalette="red"
            borderRadius="12px"
            onClick={onDelete}
            data-testid="delete-persona"
          >
            <TrashIcon boxSize="14px" />
            {t('personaDetail.actions.delete')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

function RecordCard({ persona }: { persona: Persona }) {
  const { t, i18n } = useTranslation();
  const items = [
    { key: 'type', value: t(`personas.type.${persona.type}`) },
    ...(persona.template_id ? [{ key: 'template', value: persona.template_id }] : []),
    { key: 'created', value: formatDateTime(persona.created_at, i18n.language) },
    { key: 'updated', value: formatDateTime(persona.updated_at, i18n.language) },
  ];
  return (
    <Card>
      <Heading as="h2" fontSize="lg" color="gray.700" mb="12px">
        {t('personaDetail.record.title')}
      </Heading>
      <DataList.Root orientation="horizontal" size="sm" gap="8px">
        {items.map((i) => (
          <DataList.Item key={i.key}>
            <DataList.ItemLabel color="fg.muted" minW="90px">
              {t(`personaDetail.record.${i.key}`)}
            </DataList.ItemLabel>
            <DataList.ItemValue color="gray.700" overflowWrap="anywhere">
              {i.value}
            </DataList.ItemValue>
          </DataList.Item>
        ))}
      </DataList.Root>
    </Card>
  );
}

function DetailSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="24px" aria-busy="true" aria-label={t('common.loading')}>
      <Card>
        <Flex gap="20px" align="center">
          <Skeleton w="72px" h="72px" borderRadius="iconBox" />
          <Box flex="1">
            <Skeleton h="24px" w="40%" mb="10px" />
            <Skeleton h="14px" w="60%" />
          </Box>
        </Flex>
      </Card>
      <Grid templateColumns={{ base: '1fr', xl: '2fr 1fr' }} gap="24px">
        <Card>
          <SkeletonText noOfLines={8} />
        </Card>
        <Card>
          <SkeletonText noOfLines={5} />
        </Card>
      </Grid>
    </Stack>
  );
}

export default function PersonaDetail() {
  const { t } = useTranslation();
  const { personaId = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = usePersona(personaId);
  const del = useDeletePersona();
  const [confirm, setConfirm] = useState(false);
  const raw = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? '') ? (raw as Tab) : 'profile';

  const setTab = (next: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'profile') p.delete('tab');
        else p.set('tab', next);
        if (next !== 'interview') p.delete('c');
        return p;
      },
      { replace: true },
    );

  if (q.isPending) return <DetailSkeleton />;
  if (q.isError)
    return (
      <Stack gap="16px">
        <ErrorState
          error={q.error}
          onRetry={() => void q.refetch()}
          title={
            isApiError(q.error) && q.error.code === 'not_found'
              ? t('personaDetail.notFound')
              : undefined
          }
        />
        <Box>
          <Button asChild size="sm" variant="outline">
            <RouterLink to="/personas">{t('personaDetail.backToList')}</RouterLink>
          </Button>
        </Box>
      </Stack>
    );
  const persona = q.data;

  return (
    <Stack gap="24px">
      <Header persona={persona} onDelete={() => setConfirm(true)} />
      <Tabs.Root
        value={tab}
        onValueChange={(e) => setTab(e.value)}
        lazyMount
        variant="plain"
        colorPalette="teal"
      >
        <Tabs.List
          bg="white"
          borderRadius="card"
          boxShadow="card"
          p="6px"
          gap="4px"
          overflowX="auto"
          maxW="100%"
        >
          {[
            { value: 'profile', icon: UserIcon },
            { value: 'interview', icon: ChatIcon },
            { value: 'history', icon: HistoryIcon },
          ].map(({ value, icon: Icon }) => (
            <Tabs.Trigger
              key={value}
              value={value}
              borderRadius="12px"
              px="14px"
              color="gray.700"
              _selected={{ bg: 'teal.50', color: 'teal.800', fontWeight: 'bold' }}
              data-testid={`tab-${value}`}
            >
              <Icon boxSize="16px" />
              {t(`personaDetail.tabs.${value}`)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="profile" pt="24px">
          <Grid
            templateColumns={{ base: 'minmax(0, 1fr)', xl: 'minmax(0, 2fr) minmax(0, 1fr)' }}
            gap="24px"
            alignItems="start"
          >
            <PersonaProfile persona={persona} />
            <Stack gap="24px">
              <PersonaValidation persona={persona} />
              <RecordCard persona={persona} />
            </Stack>
          </Grid>
        </Tabs.Content>
        <Tabs.Content value="interview" pt="24px">
          <PersonaInterview persona={persona} />
        </Tabs.Content>
        <Tabs.Content value="history" pt="24px">
          <PersonaRuns personaId={persona.id} />
        </Tabs.Content>
      </Tabs.Root>

      <ConfirmDialog
        open={confirm}
        onClose={() => {
          setConfirm(false);
          del.reset();
        }}
        title={t('personaDetail.delete.title', { name: persona.name })}
        confirmLabel={t('personaDetail.delete.confirm')}
        cancelLabel={t('personaDetail.actions.cancel')}
        busy={del.isPending}
        error={del.error ? <ActionError error={del.error} /> : null}
        testId="delete-persona-dialog"
        onConfirm={() =>
          del.mutate(persona.id, {
            onSuccess: () =>
              navigate('/personas', { replace: true, state: { deleted: persona.name } }),
          })
        }
      >
        {t('personaDetail.delete.text', { name: persona.name })}
      </ConfirmDialog>
    </Stack>
  );
}
