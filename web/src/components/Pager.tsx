import { Button, Flex, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../lib/format';
import { ChevronLeftIcon, ChevronRightIcon } from './Icons';

/**
 * The "previous / page x of y / next" bar under a paged list: a labelled nav, buttons named
 * for the page they go to, and the current page announced when it changes. With `showing`,
 * the rows on screen ("Showing 11–20 of 42") start the bar; the buttons show only when there
 * is more than one page (or the page is past the first).
 */
export function Pager({
  page,
  pages,
  onPage,
  showing,
}: {
  /** The current page, from 1. */
  page: number;
  pages: number;
  onPage: (page: number) => void;
  showing?: { from: number; to: number; total: number };
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <Flex
      as="nav"
      aria-label={t('common.pagination')}
      justify={showing ? 'space-between' : 'flex-end'}
      align="center"
      gap="12px"
      wrap="wrap"
    >
      {showing ? (
        <Text fontSize="sm" color="fg.muted">
          {t('common.showing', {
            from: formatNumber(showing.from, lng),
            to: formatNumber(showing.to, lng),
            total: formatNumber(showing.total, lng),
          })}
        </Text>
      ) : null}
      {pages > 1 || page > 1 ? (
        <Flex gap="8px" align="center">
          <Button
            size="sm"
            variant="outline"
            aria-label={t('pager.previousPage')}
            disabled={page <= 1}
            onClick={() => onPage(page - 1)}
          >
            <ChevronLeftIcon boxSize="16px" />
            {t('common.previous')}
          </Button>
          <Text fontSize="sm" color="gray.700" aria-live="polite" aria-atomic="true">
            {t('common.pageOf', { page, pages })}
          </Text>
          <Button
            size="sm"
            variant="outline"
            aria-label={t('pager.nextPage')}
            disabled={page >= pages}
            onClick={() => onPage(page + 1)}
          >
            {t('common.next')}
            <ChevronRightIcon boxSize="16px" />
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
