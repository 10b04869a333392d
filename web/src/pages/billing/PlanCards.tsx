/* The plans side by side as Purity pricing cards: price, limits, features, and the move each offers. */
import {
  Badge,
  Box,
  Button,
  Flex,
  Popover,
  Portal,
  SimpleGrid,
  Stack,
  Text,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Billing } from '../../api/billing';
import type { Plan } from '../../api/types';
import { CheckIcon } from '../../components/Icons';
import { formatDate, formatNumber, formatUsd } from '../../lib/format';
import { centsToUsd, moneyToCentsOrZero, planMove } from './logic';

function Feature({ on, children }: { on: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex as="li" gap="8px" align="flex-start" color={on ? 'gray.700' : 'fg.muted'} fontSize="sm">
      <Box
        flexShrink={0}
        mt="2px"
        w="16px"
        h="16px"
        borderRadius="full"
        bg={on ? 'teal.300' : 'gray.100'}
        color="white"
        display="flex"
        alignItems="center"
        justifyContent="center"
        aria-hidden="true"
      >
        {on ? <CheckIcon boxSize="11px" /> : null}
      </Box>
      <Text textDecoration={on ? undefined : 'line-through'}>
        <Text as="span" srOnly>
          {on ? t('billing.plans.included') : t('billing.plans.notIncluded')}
        </Text>
        {children}
      </Text>
    </Flex>
  );
}

function ContactSales({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  return (
    <Popover.Root positioning={{ placement: 'top' }}>
      <Popover.Trigger asChild>
        <Button variant="outline" borderRadius="12px" w="100%" data-testid="contact-sales">
          {t('billing.plans.contactSales')}
        </Button>
      </Popover.Trigger>
      <Portal>
        <Popover.Positioner>
          <Popover.Content borderRadius="card" maxW="320px">
            <Popover.Arrow />
            <Popover.Body fontSize="sm" color="gray.700">
              <Text>{t('billing.plans.contactSalesText')}</Text>
              <Text mt="8px" fontSize="xs" color="fg.muted">
                {t('billing.plans.workspaceId')}
              </Text>
              <Text fontFamily="mono" fontSize="xs" wordBreak="break-all">
                {workspaceId}
              </Text>
            </Popover.Body>
          </Popover.Content>
        </Popover.Positioner>
      </Portal>
    </Popover.Root>
  );
}

export function PlanCards({
  plans,
  billing,
  canManage,
  onChoose,
}: {
  plans: Plan[];
  billing: Billing;
  canManage: boolean;
  onChoose: (plan: Plan, move: 'upgrade' | 'downgrade') => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const n = (v: number | null) => (v === null ? null : formatNumber(v, lng));
  return (
    <SimpleGrid
      columns={{ base: 1, md: 2, xl: 3, '2xl': 5 }}
      gap="20px"
      as="ul"
      listStyleType="none"
      m={0}
      p={0}
    >
      {plans.map((p) => {
        const move = planMove(billing.plan, p);
        const scheduled = billing.scheduled_change?.plan === p.name;
        const name = t(`plans.${p.name}`, { defaultValue: p.name });
        return (
          <Box
            as="li"
            key={p.name}
            data-testid={`plan-card-${p.name}`}
            aria-current={move === 'current' ? 'true' : undefined}
            bg="white"
            borderRadius="card"
            boxShadow="card"
            border="2px solid"
            borderColor={move === 'current' ? 'teal.300' : 'transparent'}
            p="20px"
            display="flex"
            flexDirection="column"
            gap="14px"
          >
            <Flex justify="space-between" align="center" gap="8px" wrap="wrap">
              <Text as="h3" fontWeight="bold" fontSize="md" color="gray.700">
                {name}
              </Text>
              {move === 'current' ? (
                <Badge
                  colorPalette="teal"
                  variant="solid"
                  borderRadius="badge"
                  textTransform="none"
                >
                  {t('billing.plans.current')}
                </Badge>
              ) : scheduled ? (
                <Badge
                  colorPalette="orange"
                  variant="subtle"
                  borderRadius="badge"
                  textTransform="none"
                >
                  {t('billing.plans.scheduledFrom', {
                    date: formatDate(billing.scheduled_change?.effective_at ?? '', lng),
                  })}
                </Badge>
              ) : null}
            </Flex>
            <Box>
              {p.price_month === null ? (
                <Text fontSize="xl" fontWeight="bold" color="gray.700">
                  {t('billing.plans.customPrice')}
                </Text>
              ) : (
                <Flex align="baseline" gap="4px">
                  <Text fontSize="2xl" fontWeight="bold" color="gray.700">
                    {formatUsd(centsToUsd(moneyToCentsOrZero(p.price_month)), lng)}
                  </Text>
                  <Text fontSize="sm" color="fg.muted">
                    {t('billing.plans.perMonth')}
                  </Text>
                </Flex>
              )}
            </Box>
            <Stack as="ul" gap="6px" listStyleType="none" m={0} p={0} flex="1">
              <Feature on>
                {p.max_personas === null
                  ? t('billing.plans.personasCustom')
                  : t('billing.plans.personas', { count: p.max_personas, n: n(p.max_personas) })}
              </Feature>
              <Feature on>
                {p.max_projects === null
                  ? t('billing.plans.projectsCustom')
                  : t('billing.plans.projects', { count: p.max_projects, n: n(p.max_projects) })}
              </Feature>
              <Feature on>
                {p.team_members === null
                  ? t('billing.plans.membersCustom')
                  : t('billing.plans.members', { count: p.team_members, n: n(p.team_members) })}
              </Feature>
              <Feature on={p.extra_persona !== null}>
                {p.extra_persona === null
                  ? t('billing.plans.noExtra')
                  : t('billing.plans.extra', {
                      price: formatUsd(centsToUsd(moneyToCentsOrZero(p.extra_persona)), lng),
                    })}
              </Feature>
              <Feature on={p.custom_personas}>{t('billing.plans.customPersonas')}</Feature>
              <Feature on={p.api_access}>{t('billing.plans.apiAccess')}</Feature>
              <Feature on={p.advanced_analytics}>{t('billing.plans.analytics')}</Feature>
              <Feature on={p.priority_support}>{t('billing.plans.support')}</Feature>
            </Stack>
            {move === 'current' ? (
              <Text fontSize="sm" color="teal.700" fontWeight="bold" textAlign="center">
                {t('billing.plans.yourPlan')}
              </Text>
            ) : move === 'contact' ? (
              <ContactSales workspaceId={billing.workspace_id} />
            ) : !canManage ? null : scheduled ? (
              <Text fontSize="sm" color="orange.700" textAlign="center">
                {t('billing.plans.alreadyScheduled')}
              </Text>
            ) : (
              <Button
                colorPalette="teal"
                variant={move === 'upgrade' ? 'solid' : 'outline'}
                borderRadius="12px"
                w="100%"
                data-testid={`${move}-${p.name}`}
                onClick={() => onChoose(p, move)}
              >
                {move === 'upgrade'
                  ? t('billing.plans.upgradeTo', { plan: name })
                  : t('billing.plans.downgradeTo', { plan: name })}
              </Button>
            )}
          </Box>
        );
      })}
    </SimpleGrid>
  );
}
