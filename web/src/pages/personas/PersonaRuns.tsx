/* The persona's history: the test runs it answered in, newest first, each a link to its run. */
import { Badge, Box, Button, Link, Skeleton, Stack, Table } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { PERSONA_RUNS_PAGE, usePersonaRuns } from '../../api/personas';
import type { TestStatus } from '../../api/types';
import { StatusBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { TestsIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { formatDateTime, formatNumber } from '../../lib/format';

const STATUSES: TestStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];

export function PersonaRuns({ personaId }: { personaId: string }) {
  const { t, i18n } = useTranslation();
  const [offset, setOffset] = useState(0);
  const q = usePersonaRuns(personaId, offset);
  const total = q.data?.total ?? 0;
  const page = Math.floor(offset / PERSONA_RUNS_PAGE) + 1;
  const pages = Math.max(1, Math.ceil(total / PERSONA_RUNS_PAGE));

  return (
    <Card data-testid="persona-history">
      <CardHeader
        title={t('personaDetail.history.title')}
        subtitle={
          q.data
            ? t('personaDetail.history.count', {
                count: total,
                formatted: formatNumber(total, i18n.language),
              })
            : t('personaDetail.history.subtitle')
        }
      />
      {q.isPending ? (
        <Stack gap="10px" aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton h="36px" />
          <Skeleton h="36px" />
          <Skeleton h="36px" />
        </Stack>
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.runs.length === 0 ? (
        <EmptyState
          icon={<TestsIcon boxSize="26px" />}
          title={t('personaDetail.history.emptyTitle')}
          description={t('personaDetail.history.emptyText')}
          actions={
            <Button asChild size="sm" colorPalette="teal">
              <RouterLink to="/tests">{t('personaDetail.history.toTests')}</RouterLink>
            </Button>
          }
        />
      ) : (
        <Stack gap="16px" opacity={q.isPlaceholderData ? 0.6 : 1}>
          <Box overflowX="auto">
            <Table.Root size="sm" variant="line" minW="560px">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeader color="fg.muted">
                    {t('personaDetail.history.test')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted">
                    {t('personaDetail.history.status')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted" textAlign="end">
                    {t('personaDetail.history.answers')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted">
                    {t('personaDetail.history.started')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted">
                    {t('personaDetail.history.finished')}
                  </Table.ColumnHeader>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {q.data.runs.map((r) => (
                  <Table.Row key={r.run_id} data-testid="persona-run">
                    <Table.Cell>
                      <Link asChild color="teal.700" fontWeight="bold">
                        <RouterLink
                          to={`/tests/${encodeURIComponent(r.test_id)}/runs/${encodeURIComponent(r.run_id)}`}
                        >
                          {r.test_name || t('personaDetail.history.untitled')}
                        </RouterLink>
                      </Link>
                    </Table.Cell>
                    <Table.Cell>
                      {(STATUSES as string[]).includes(r.status) ? (
                        <StatusBadge status={r.status as TestStatus} />
                      ) : (
                        <Badge variant="subtle">{r.status}</Badge>
                      )}
                    </Table.Cell>
                    <Table.Cell textAlign="end">
                      {formatNumber(r.results, i18n.language)}
                    </Table.Cell>
                    <Table.Cell whiteSpace="nowrap">
                      {formatDateTime(r.created_at, i18n.language)}
                    </Table.Cell>
                    <Table.Cell whiteSpace="nowrap">
                      {r.finished_at ? formatDateTime(r.finished_at, i18n.language) : '—'}
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          </Box>
          {pages > 1 ? (
            <Pager
              page={page}
              pages={pages}
              onPage={(p) => setOffset((p - 1) * PERSONA_RUNS_PAGE)}
            />
          ) : null}
        </Stack>
      )}
    </Card>
  );
}
