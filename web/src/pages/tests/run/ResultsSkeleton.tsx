/* The results' placeholder while the report loads (stat cards, then two cards). */
import { SimpleGrid, Skeleton, SkeletonText, Stack } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { Card } from '../../../components/Card';

export function ResultsSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack
      gap="24px"
      aria-busy="true"
      aria-label={t('common.loading')}
      data-testid="results-skeleton"
    >
      <SimpleGrid columns={{ base: 1, sm: 2, xl: 4 }} gap="24px">
        {Array.from({ length: 4 }, (_, i) => (
          <Card key={i}>
            <Skeleton h="44px" />
          </Card>
        ))}
      </SimpleGrid>
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px">
        <Card>
          <SkeletonText noOfLines={5} />
        </Card>
        <Card>
          <Skeleton h="200px" />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
