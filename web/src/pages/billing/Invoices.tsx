/* The workspace's invoices (GET /api/billing/invoices), newest first, a page at a time. */
import { Badge, Box, Skeleton, Stack, Table, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INVOICES_PAGE, useInvoices } from '../../api/billing';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { BillingIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { formatDateTime, formatUsd } from '../../lib/format';
import { centsToUsd, lineText } from './logic';

const KIND_PALETTE: Record<string, string> = {
  upgrade: 'teal',
  extra_personas: 'purple',
  subscription: 'blue',
};

export function InvoicesCard() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [offset, setOffset] = useState(0);
  const q = useInvoices(offset);
  const total = q.data?.total ?? 0;
  const page = Math.floor(offset / INVOICES_PAGE) + 1;
  const pages = Math.max(1, Math.ceil(total / INVOICES_PAGE));
  const th = { color: 'fg.muted', textTransform: 'uppercase', fontSize: 'xs' } as const;

  return (
    <Card data-testid="invoices-card">
      <CardHeader
        title={t('billing.invoices.title')}
        subtitle={q.data ? t('billing.invoices.subtitle', { count: total }) : undefined}
      />
      <Box aria-live="polite" aria-busy={q.isFetching}>
        {q.isPending ? (
          <Stack gap="10px" aria-label={t('common.loading')}>
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h="36px" />
            ))}
          </Stack>
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.invoices.length === 0 ? (
          <EmptyState
            icon={<BillingIcon boxSize="26px" />}
            title={t('billing.invoices.emptyTitle')}
            description={t('billing.invoices.emptyText')}
          />
        ) : (
          <Stack gap="16px">
            <Table.ScrollArea>
              <Table.Root size="sm" variant="line" opacity={q.isPlaceholderData ? 0.6 : 1}>
                <Table.Header>
                  <Table.Row>
                    <Table.ColumnHeader {...th} ps={0}>
                      {t('billing.invoices.number')}
                    </Table.ColumnHeader>
                    <Table.ColumnHeader {...th}>{t('billing.invoices.date')}</Table.ColumnHeader>
                    <Table.ColumnHeader {...th}>{t('billing.invoices.what')}</Table.ColumnHeader>
                    <Table.ColumnHeader {...th}>{t('billing.invoices.status')}</Table.ColumnHeader>
                    <Table.ColumnHeader {...th} textAlign="end">
                      {t('billing.invoices.total')}
                    </Table.ColumnHeader>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {q.data.invoices.map((inv) => (
                    <Table.Row key={inv.id} data-testid="invoice-row">
                      <Table.Cell ps={0} fontWeight="bold" whiteSpace="nowrap">
                        #{inv.number}
                      </Table.Cell>
                      <Table.Cell color="fg.muted" whiteSpace="nowrap">
                        {formatDateTime(inv.created_at, lng)}
                      </Table.Cell>
                      <Table.Cell minW="260px" whiteSpace="normal">
                        <Badge
                          colorPalette={KIND_PALETTE[inv.kind] ?? 'gray'}
                          variant="subtle"
                          borderRadius="badge"
                          textTransform="none"
                          mb="4px"
                        >
                          {t(`billing.invoices.kind.${inv.kind}`, { defaultValue: inv.kind })}
                        </Badge>
                        {inv.lines.map((l, i) => (
                          <Text key={i} fontSize="sm" color="gray.700">
                            {lineText(l, t, lng)}
                          </Text>
                        ))}
                      </Table.Cell>
                      <Table.Cell>
                        <Badge
                          colorPalette={inv.status === 'paid' ? 'green' : 'gray'}
                          variant="subtle"
                          borderRadius="badge"
                          textTransform="none"
                        >
                          {t(`billing.invoices.statusName.${inv.status}`, {
                            defaultValue: inv.status,
                          })}
                        </Badge>
                      </Table.Cell>
                      <Table.Cell
                        textAlign="end"
                        fontWeight="bold"
                        whiteSpace="nowrap"
                        data-testid="invoice-total"
                      >
                        {formatUsd(centsToUsd(inv.total_cents), lng)}
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table.Root>
            </Table.ScrollArea>
            {pages > 1 ? (
              <Pager
                page={page}
                pages={pages}
                onPage={(p) => setOffset((p - 1) * INVOICES_PAGE)}
                showing={{ from: offset + 1, to: offset + q.data.invoices.length, total }}
              />
            ) : null}
          </Stack>
        )}
      </Box>
    </Card>
  );
}
