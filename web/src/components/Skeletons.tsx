import { SimpleGrid, Skeleton, SkeletonText, Stack } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { Card } from './Card';

/** A grid of card-shaped placeholders while a list loads. */
export function CardGridSkeleton({
  count = 6,
  height = '150px',
}: {
  count?: number;
  height?: string;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid
      columns={{ base: 1, md: 2, xl: 3 }}
      gap="24px"
      aria-busy="true"
      aria-label={t('common.loading')}
    >
      {Array.from({ length: count }, (_, i) => (
        <Card key={i}>
          <Stack gap="12px">
            <Skeleton h="20px" w="60%" />
            <SkeletonText noOfLines={3} />
            <Skeleton h={`calc(${height} - 110px)`} minH="16px" />
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}

export function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="24px" aria-busy="true" aria-label={t('common.loading')}>
      <SimpleGrid columns={{ base: 1, md: 2, xl: 4 }} gap="24px">
        {Array.from({ length: 4 }, (_, i) => (
          <Card key={i}>
            <Skeleton h="44px" />
          </Card>
        ))}
      </SimpleGrid>
      <Card>
        <SkeletonText noOfLines={6} />
      </Card>
    </Stack>
  );
}
