import { Badge, Button, Flex } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { crumbsFor } from '../layout/nav';
import { Card } from '../components/Card';
import { EmptyState } from '../components/EmptyState';
import { SparkIcon } from '../components/Icons';

/** The sidebar's entries whose pages are not built yet say so plainly. */
export default function ComingSoon() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const crumbs = crumbsFor(pathname);
  const page = t(crumbs[crumbs.length - 1]?.labelKey ?? 'nav.dashboard');
  return (
    <Card data-testid="coming-soon">
      <Flex justify="center" pt="8px">
        <Badge
          colorPalette="orange"
          variant="subtle"
          borderRadius="badge"
          textTransform="uppercase"
          px="10px"
          py="3px"
        >
          {t('comingSoon.badge')}
        </Badge>
      </Flex>
      <EmptyState
        icon={<SparkIcon boxSize="26px" />}
        title={t('comingSoon.title', { page })}
        description={t('comingSoon.text')}
        actions={
          <>
            <Button colorPalette="teal" size="sm" onClick={() => navigate('/dashboard')}>
              {t('comingSoon.toDashboard')}
            </Button>
            <Button variant="outline" size="sm" onClick={() => navigate('/personas')}>
              {t('comingSoon.toPersonas')}
            </Button>
          </>
        }
      />
    </Card>
  );
}
