import { Badge, Box, Flex, Heading, Link, Text, Wrap } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import type { PersonaFields } from '../../api/types';
import { Card } from '../../components/Card';
import { PersonaAvatar } from '../../components/PersonaAvatar';

/**
 * A persona (or a template) as a card: avatar, name, age and job, place,
 * traits, tags. With `to`, the name is a link that the whole card answers
 * (a stretched link: one tab stop, the card's footer buttons stay on top).
 */
export function PersonaCard({
  persona,
  tags,
  badge,
  footer,
  testId,
  to,
}: {
  persona: PersonaFields;
  tags?: string[];
  badge?: ReactNode;
  footer?: ReactNode;
  testId?: string;
  to?: string;
}) {
  const { t } = useTranslation();
  const d = persona.demographics;
  const traits = persona.personality?.traits ?? [];
  const meta = [t('personas.card.age', { age: d.age }), d.occupation].filter(Boolean);
  return (
    <Card
      as="article"
      data-testid={testId}
      gap="12px"
      h="100%"
      position="relative"
      transition="box-shadow 0.15s"
      _hover={to ? { boxShadow: 'floating' } : undefined}
    >
      <Flex gap="14px" align="flex-start">
        <PersonaAvatar name={persona.name} />
        <Box flex="1" minW={0}>
          <Flex gap="8px" align="center" wrap="wrap">
            <Heading as="h3" fontSize="md" fontWeight="bold" color="gray.700" truncate>
              {to ? (
                <Link
                  asChild
                  color="gray.700"
                  _after={{ content: '""', position: 'absolute', inset: 0, borderRadius: 'card' }}
                  _focusVisible={{ outline: 'none' }}
                  css={{
                    '&:focus-visible::after': { outline: '2px solid', outlineColor: 'teal.500' },
                  }}
                >
                  <RouterLink to={to}>{persona.name}</RouterLink>
                </Link>
              ) : (
                persona.name
              )}
            </Heading>
            {badge}
          </Flex>
          <Text fontSize="sm" color="fg.muted" lineClamp={1}>
            {meta.join(' · ')}
          </Text>
          {d.location ? (
            <Text fontSize="sm" color="fg.muted" lineClamp={1}>
              {d.location}
              {d.language ? ` · ${d.language}` : ''}
            </Text>
          ) : null}
          {d.income_level ? (
            <Text fontSize="sm" color="fg.muted" lineClamp={1}>
              {t(`personas.income.${d.income_level}`)}
            </Text>
          ) : null}
        </Box>
      </Flex>
      {traits.length ? (
        <Text fontSize="sm" color="gray.700" lineClamp={2}>
          {traits.slice(0, 5).join(', ')}
        </Text>
      ) : null}
      {tags && tags.length ? (
        <Wrap gap="6px">
          {tags.slice(0, 4).map((tag) => (
            <Badge
              key={tag}
              variant="subtle"
              colorPalette="gray"
              borderRadius="badge"
              textTransform="none"
              fontWeight="normal"
            >
              {tag}
            </Badge>
          ))}
        </Wrap>
      ) : null}
      {footer ? (
        <Box mt="auto" position="relative" zIndex={1}>
          {footer}
        </Box>
      ) : null}
    </Card>
  );
}
