import {
  Alert,
  Box,
  Button,
  Flex,
  Heading,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';
import { useMe } from '../../api/auth';
import { useTests } from '../../api/tests';
import type { Meter, Usage } from '../../api/types';
import { useUsage, useUsageHistory } from '../../api/usage';
import { OfflineModelBadge, StatusBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { CoinIcon, PersonasIcon, ProjectsIcon, TestsIcon } from '../../components/Icons';
import { StatCard } from '../../components/StatCard';
import { UsageMeter } from '../../components/UsageMeter';
import { formatDate, formatNumber, formatUsd } from '../../lib/format';
import { ActivityChart, CostBars } from './Charts';
import { toChartData, totals } from './chartData';

const METERS = ['personas', 'projects', 'members'] as const;

function meterNote(m: Meter, lng: string, t: TFunction) {
  return m.limit === null
    ? t('usage.unlimited')
    : t('usage.ofLimit', { limit: formatNumber(m.limit, lng) });
}

function LimitWarnings({ usage }: { usage: Usage }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  // a plan's single seat or single project is "full" as soon as it is used:
  // that is no news, so only limits above one warn (the meters still show it)
  const warn = METERS.filter(
    (k) => usage[k].approaching_limit && usage[k].limit !== null && (usage[k].limit ?? 0) > 1,
  );
  if (warn.length === 0) return null;
  return (
    <Stack gap="8px" data-testid="limit-warnings">
      {warn.map((k) => {
        const m = usage[k];
        const full = m.limit !== null && m.used >= m.limit;
        return (
          <Alert.Root
            key={k}
            status={full ? 'error' : 'warning'}
            borderRadius="card"
            alignItems="center"
          >
            <Alert.Indicator />
            <Alert.Content>
              <Alert.Title>
                {t(full ? 'usage.atLimit' : 'usage.approaching', {
                  meter: t(`usage.meters.${k}`),
                  used: formatNumber(m.used, i18n.language),
                  limit: formatNumber(m.limit ?? 0, i18n.language),
                })}
              </Alert.Title>
              <Alert.Description>{t('usage.upgradeHint')}</Alert.Description>
            </Alert.Content>
            <Button size="sm" colorPalette="teal" onClick={() => navigate('/billing')}>
              {t('actions.upgrade')}
            </Button>
          </Alert.Root>
        );
      })}
    </Stack>
  );
}

/** Said over a chart that has nothing to draw yet. */
function ChartEmpty({ text, dark = false }: { text: string; dark?: boolean }) {
  return (
    <Flex position="absolute" inset="0" align="center" justify="center" pointerEvents="none">
      <Text
        fontSize="sm"
        fontWeight="bold"
        px="14px"
        py="8px"
        borderRadius="12px"
        bg={dark ? 'whiteAlpha.200' : 'white'}
        color={dark ? 'white' : 'fg.muted'}
        boxShadow={dark ? 'none' : 'card'}
      >
        {text}
      </Text>
    </Flex>
  );
}

function RecentTests() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const q = useTests({ limit: 6 });
  return (
    <Card>
      <CardHeader
        title={t('dashboard.recentTests.title')}
        subtitle={q.data ? t('dashboard.recentTests.subtitle', { count: q.data.total }) : undefined}
        actions={<OfflineModelBadge />}
      />
      {q.isPending ? (
        <Stack gap="10px">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h="36px" />
          ))}
        </Stack>
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.tests.length === 0 ? (
        <EmptyState
          icon={<TestsIcon boxSize="26px" />}
          title={t('dashboard.recentTests.emptyTitle')}
          description={t('dashboard.recentTests.emptyText')}
          actions={
            <>
              <Button colorPalette="teal" size="sm" onClick={() => navigate('/personas/templates')}>
                {t('dashboard.recentTests.addPersonas')}
              </Button>
              <Button variant="outline" size="sm" onClick={() => navigate('/tests')}>
                {t('dashboard.recentTests.goToTests')}
              </Button>
            </>
          }
        />
      ) : (
        <Table.ScrollArea>
          <Table.Root size="sm" variant="line">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader color="fg.muted" ps={0} textTransform="uppercase" fontSize="xs">
                  {t('dashboard.recentTests.name')}
                </Table.ColumnHeader>
                <Table.ColumnHeader color="fg.muted" textTransform="uppercase" fontSize="xs">
                  {t('dashboard.recentTests.type')}
                </Table.ColumnHeader>
                <Table.ColumnHeader color="fg.muted" textTransform="uppercase" fontSize="xs">
                  {t('dashboard.recentTests.status')}
                </Table.ColumnHeader>
                <Table.ColumnHeader color="fg.muted" textTransform="uppercase" fontSize="xs">
                  {t('dashboard.recentTests.updated')}
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {q.data.tests.map((test) => (
                <Table.Row key={test.id}>
                  <Table.Cell ps={0} fontWeight="bold">
                    <RouterLink to={`/tests/${test.id}`}>{test.name}</RouterLink>
                  </Table.Cell>
                  <Table.Cell>{t(`tests.type.${test.type}`)}</Table.Cell>
                  <Table.Cell>
                    <StatusBadge status={test.status} />
                  </Table.Cell>
                  <Table.Cell color="fg.muted">
                    {formatDate(test.updated_at, i18n.language)}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}
    </Card>
  );
}

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const me = useMe();
  const usage = useUsage();
  const history = useUsageHistory(30);
  const tests = useTests({ limit: 6 });

  const points = history.data ? toChartData(history.data, lng, 30) : [];
  const sum = totals(points);
  const period = usage.data?.period;

  return (
    <Stack gap="24px">
      <Heading as="h2" srOnly>
        {t('dashboard.overview')}
      </Heading>
      {usage.data ? <LimitWarnings usage={usage.data} /> : null}

      <SimpleGrid columns={{ base: 1, md: 2, xl: 4 }} gap="24px">
        {usage.isPending ? (
          [0, 1].map((i) => (
            <Card key={i}>
              <Skeleton h="45px" />
            </Card>
          ))
        ) : usage.isError ? (
          <Box gridColumn={{ md: 'span 2' }}>
            <ErrorState error={usage.error} onRetry={() => void usage.refetch()} compact />
          </Box>
        ) : (
          <>
            <StatCard
              testId="stat-personas"
              label={t('dashboard.stats.personas')}
              value={formatNumber(usage.data.personas.used, lng)}
              note={meterNote(usage.data.personas, lng, t)}
              noteColor={usage.data.personas.approaching_limit ? 'orange.700' : 'fg.muted'}
              icon={<PersonasIcon boxSize="22px" />}
            />
            <StatCard
              label={t('dashboard.stats.projects')}
              value={formatNumber(usage.data.projects.used, lng)}
              note={meterNote(usage.data.projects, lng, t)}
              noteColor={usage.data.projects.approaching_limit ? 'orange.700' : 'fg.muted'}
              icon={<ProjectsIcon boxSize="22px" />}
            />
          </>
        )}
        {tests.isPending ? (
          <Card>
            <Skeleton h="45px" />
          </Card>
        ) : (
          <StatCard
            label={t('dashboard.stats.tests')}
            value={tests.data ? formatNumber(tests.data.total, lng) : '—'}
            note={t('dashboard.stats.testsRun30', { count: sum.tests })}
            icon={<TestsIcon boxSize="22px" />}
          />
        )}
        {usage.isPending ? (
          <Card>
            <Skeleton h="45px" />
          </Card>
        ) : (
          <StatCard
            testId="stat-cost"
            label={t('dashboard.stats.costPeriod')}
            value={period ? formatUsd(period.cost_usd, lng) : '—'}
            note={
              period
                ? t('dashboard.stats.since', { date: formatDate(period.start, lng) })
                : undefined
            }
            icon={<CoinIcon boxSize="22px" />}
          />
        )}
      </SimpleGrid>

      <SimpleGrid columns={{ base: 1, lg: 5 }} gap="24px">
        <Card gridColumn={{ lg: 'span 3' }}>
          <CardHeader
            title={t('dashboard.activity.title')}
            subtitle={t('dashboard.activity.subtitle', {
              count: sum.tests,
              answers: formatNumber(sum.answers, lng),
              tests: formatNumber(sum.tests, lng),
            })}
          />
          {history.isPending ? (
            <Skeleton h="260px" />
          ) : history.isError ? (
            <ErrorState error={history.error} onRetry={() => void history.refetch()} />
          ) : (
            <>
              <Box position="relative">
                <ActivityChart
                  data={points}
                  answersLabel={t('dashboard.activity.answers')}
                  testsLabel={t('dashboard.activity.tests')}
                />
                {sum.tests === 0 && sum.answers === 0 ? (
                  <ChartEmpty text={t('dashboard.activity.empty')} />
                ) : null}
              </Box>
              <Flex gap="16px" mt="8px" fontSize="sm" color="fg.muted" wrap="wrap">
                <Flex align="center" gap="6px">
                  <Box w="10px" h="10px" borderRadius="full" bg="teal.300" />
                  {t('dashboard.activity.answers')}
                </Flex>
                <Flex align="center" gap="6px">
                  <Box w="10px" h="10px" borderRadius="full" bg="#2D3748" />
                  {t('dashboard.activity.tests')}
                </Flex>
              </Flex>
            </>
          )}
        </Card>

        <Card gridColumn={{ lg: 'span 2' }} data-testid="usage-card">
          <CardHeader
            title={t('usage.title')}
            subtitle={
              me.data
                ? t('usage.subtitle', { plan: t(`plans.${me.data.workspace.plan_type}`) })
                : undefined
            }
          />
          {usage.isPending ? (
            <Stack gap="16px">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} h="32px" />
              ))}
            </Stack>
          ) : usage.isError ? (
            <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />
          ) : (
            <Stack gap="18px">
              {METERS.map((k) => (
                <UsageMeter key={k} label={t(`usage.meters.${k}`)} meter={usage.data[k]} />
              ))}
              {usage.data.members.pending_invites ? (
                <Text fontSize="xs" color="fg.muted">
                  {t('usage.pendingInvites', { count: usage.data.members.pending_invites })}
                </Text>
              ) : null}
              <Button
                asChild
                variant="outline"
                size="sm"
                alignSelf="flex-start"
                borderRadius="card"
              >
                <RouterLink to="/billing">{t('usage.managePlan')}</RouterLink>
              </Button>
            </Stack>
          )}
        </Card>
      </SimpleGrid>

      <SimpleGrid columns={{ base: 1, lg: 5 }} gap="24px">
        <Box gridColumn={{ lg: 'span 3' }}>
          <RecentTests />
        </Box>
        <Card
          gridColumn={{ lg: 'span 2' }}
          bgImage="linear-gradient(81.62deg, #313860 2.25%, #151928 79.87%)"
          color="white"
        >
          <Heading as="h2" fontSize="lg" mb="2px">
            {t('dashboard.cost.title')}
          </Heading>
          <Text fontSize="sm" color="whiteAlpha.800" mb="12px">
            {t('dashboard.cost.subtitle', { total: formatUsd(sum.cost, lng) })}
          </Text>
          {history.isPending ? (
            <Skeleton h="200px" />
          ) : history.isError ? null : (
            <Box position="relative">
              <CostBars
                data={points}
                costLabel={t('dashboard.cost.label')}
                formatCost={(n) => formatUsd(n, lng)}
                showAxis={sum.cost > 0}
              />
              {sum.cost === 0 ? <ChartEmpty text={t('dashboard.cost.empty')} dark /> : null}
            </Box>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
