/*
 * A persona's whole profile as Purity cards: who they are (demographics),
 * their personality (traits, interests, values, the Big Five), their work,
 * how they speak, what they believe and want, their likes, skills, habits
 * and routines, health, the people in their life and other facts. Empty
 * parts are left out.
 */
import { Box, DataList, Flex, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BIG_FIVE, type PersonaDetail } from '../../api/personas';
import type { Level } from '../../api/types';
import { Card, CardHeader } from '../../components/Card';
import { Bullets, Caption, Chips } from './parts';

const LEVEL_STEPS: Record<Level, number> = { low: 1, medium: 2, high: 3 };

function BigFiveRow({ trait, level }: { trait: string; level: Level | undefined }) {
  const { t } = useTranslation();
  const steps = level ? LEVEL_STEPS[level] : 0;
  return (
    <Box data-testid={`big-five-${trait}`}>
      <Flex justify="space-between" gap="8px" fontSize="sm" mb="4px">
        <Text color="gray.700">{t(`personaDetail.bigFive.${trait}`)}</Text>
        <Text color={level ? 'gray.700' : 'fg.muted'} fontWeight={level ? 'bold' : 'normal'}>
          {level ? (
            t(`personaDetail.level.${level}`)
          ) : (
            <>
              <span aria-hidden="true">—</span>
              <Text as="span" srOnly>
                {t('personaDetail.notGiven')}
              </Text>
            </>
          )}
        </Text>
      </Flex>
      <Flex gap="4px" aria-hidden="true">
        {[1, 2, 3].map((s) => (
          <Box
            key={s}
            flex="1"
            h="6px"
            borderRadius="full"
            bg={s <= steps ? 'teal.400' : 'gray.200'}
          />
        ))}
      </Flex>
    </Box>
  );
}

function Part({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <Box>
      <Caption>{caption}</Caption>
      {children}
    </Box>
  );
}

function has(list: unknown[] | undefined): list is unknown[] {
  return !!list && list.length > 0;
}

export function PersonaProfile({ persona }: { persona: PersonaDetail }) {
  const { t } = useTranslation();
  const d = persona.demographics;
  const pers = persona.personality ?? {};
  const prof = persona.profile ?? {};
  const routines = Object.entries(prof.behaviors?.routines ?? {});
  const notGiven = t('personaDetail.notGiven');

  const demographics: { key: string; value: ReactNode }[] = [
    { key: 'age', value: t('personas.card.age', { age: d.age }) },
    {
      key: 'gender',
      value: d.gender
        ? t(`personas.gender.${d.gender.toLowerCase()}`, { defaultValue: d.gender })
        : notGiven,
    },
    { key: 'location', value: d.location || notGiven },
    { key: 'nationality', value: d.nationality || notGiven },
    { key: 'language', value: d.language || notGiven },
    { key: 'occupation', value: d.occupation || notGiven },
    { key: 'education', value: d.education || notGiven },
    { key: 'income', value: d.income_level ? t(`personas.income.${d.income_level}`) : notGiven },
  ];

  const work = prof.occupation_detail;
  const hasPersonality =
    has(pers.traits) || has(pers.interests) || has(pers.values) || !!pers.big_five;
  const hasBeliefs = has(prof.beliefs) || has(prof.long_term_goals);
  const hasTastes = has(prof.likes) || has(prof.dislikes) || has(prof.skills);
  const hasHabits = has(prof.behaviors?.general) || routines.length > 0;
  const hasLife = !!prof.health || has(prof.relationships) || has(prof.other_facts);
  const emptyProfile =
    !hasPersonality && !hasBeliefs && !hasTastes && !hasHabits && !hasLife && !work && !prof.style;

  return (
    <Stack gap="24px" data-testid="persona-profile">
      <Card>
        <CardHeader title={t('personaDetail.sections.demographics')} />
        <DataList.Root orientation="vertical" size="md">
          <SimpleGrid columns={{ base: 2, lg: 4 }} gap="16px">
            {demographics.map((item) => (
              <DataList.Item key={item.key}>
                <DataList.ItemLabel color="fg.muted" fontSize="xs" fontWeight="bold">
                  {t(`personaDetail.fields.${item.key}`)}
                </DataList.ItemLabel>
                <DataList.ItemValue color="gray.700" fontSize="sm">
                  {item.value}
                </DataList.ItemValue>
              </DataList.Item>
            ))}
          </SimpleGrid>
        </DataList.Root>
      </Card>

      {hasPersonality ? (
        <Card>
          <CardHeader title={t('personaDetail.sections.personality')} />
          <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px">
            <Stack gap="16px">
              {has(pers.traits) ? (
                <Part caption={t('personaDetail.fields.traits')}>
                  <Chips items={pers.traits ?? []} palette="teal" />
                </Part>
              ) : null}
              {has(pers.interests) ? (
                <Part caption={t('personaDetail.fields.interests')}>
                  <Chips items={pers.interests ?? []} />
                </Part>
              ) : null}
              {has(pers.values) ? (
                <Part caption={t('personaDetail.fields.values')}>
                  <Chips items={pers.values ?? []} palette="purple" />
                </Part>
              ) : null}
            </Stack>
            <Part caption={t('personaDetail.fields.bigFive')}>
              <Stack gap="10px">
                {BIG_FIVE.map((b) => (
                  <BigFiveRow key={b} trait={b} level={pers.big_five?.[b]} />
                ))}
              </Stack>
            </Part>
          </SimpleGrid>
        </Card>
      ) : null}

      {work?.organization || work?.description || prof.style ? (
        <Card>
          <CardHeader title={t('personaDetail.sections.work')} />
          <Stack gap="16px">
            {work?.organization ? (
              <Part caption={t('personaDetail.fields.organization')}>
                <Text fontSize="sm" color="gray.700">
                  {work.organization}
                </Text>
              </Part>
            ) : null}
            {work?.description ? (
              <Part caption={t('personaDetail.fields.workDescription')}>
                <Text fontSize="sm" color="gray.700" whiteSpace="pre-wrap">
                  {work.description}
                </Text>
              </Part>
            ) : null}
            {prof.style ? (
              <Part caption={t('personaDetail.fields.style')}>
                <Text fontSize="sm" color="gray.700" whiteSpace="pre-wrap">
                  {prof.style}
                </Text>
              </Part>
            ) : null}
          </Stack>
        </Card>
      ) : null}

      {hasBeliefs ? (
        <Card>
          <CardHeader title={t('personaDetail.sections.beliefs')} />
          <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px">
            {has(prof.beliefs) ? (
              <Part caption={t('personaDetail.fields.beliefs')}>
                <Bullets items={prof.beliefs ?? []} />
              </Part>
            ) : null}
            {has(prof.long_term_goals) ? (
              <Part caption={t('personaDetail.fields.goals')}>
                <Bullets items={prof.long_term_goals ?? []} />
              </Part>
            ) : null}
          </SimpleGrid>
        </Card>
      ) : null}

      {hasTastes ? (
        <Card>
          <CardHeader title={t('personaDetail.sections.preferences')} />
          <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px">
            {has(prof.likes) ? (
              <Part caption={t('personaDetail.fields.likes')}>
                <Chips items={prof.likes ?? []} palette="green" />
              </Part>
            ) : null}
            {has(prof.dislikes) ? (
              <Part caption={t('personaDetail.fields.dislikes')}>
                <Chips items={prof.dislikes ?? []} palette="red" />
              </Part>
            ) : null}
            {has(prof.skills) ? (
              <Part caption={t('personaDetail.fields.skills')}>
                <Chips items={prof.skills ?? []} palette="blue" />
              </Part>
            ) : null}
          </SimpleGrid>
        </Card>
      ) : null}

      {hasHabits ? (
        <Card>
          <CardHeader title={t('personaDetail.sections.behaviors')} />
          <Stack gap="16px">
            {has(prof.behaviors?.general) ? (
              <Part caption={t('personaDetail.fields.behaviors')}>
                <Bullets items={prof.behaviors?.general ?? []} />
              </Part>
            ) : null}
            {routines.length ? (
              <Part caption={t('personaDetail.fields.routines')}>
                <DataList.Root orientation="horizontal" size="sm" gap="10px">
                  {routines.map(([when, what]) => (
                    <DataList.Item key={when} alignItems="flex-start">
                      <DataList.ItemLabel
                        minW={{ base: '80px', md: '120px' }}
                        color="gray.700"
                        fontWeight="bold"
                        textTransform="capitalize"
                      >
                        {when}
                      </DataList.ItemLabel>
                      <DataList.ItemValue color="gray.700" fontSize="sm">
                        {what}
                      </DataList.ItemValue>
                    </DataList.Item>
                  ))}
                </DataList.Root>
              </Part>
            ) : null}
          </Stack>
        </Card>
      ) : null}

      {hasLife ? (
        <Card>
          <CardHeader title={t('personaDetail.sections.life')} />
          <Stack gap="16px">
            {prof.health ? (
              <Part caption={t('personaDetail.fields.health')}>
                <Text fontSize="sm" color="gray.700" whiteSpace="pre-wrap">
                  {prof.health}
                </Text>
              </Part>
            ) : null}
            {has(prof.relationships) ? (
              <Part caption={t('personaDetail.fields.relationships')}>
                <Stack as="ul" listStyleType="none" m={0} p={0} gap="8px">
                  {(prof.relationships ?? []).map((r, i) => (
                    <Box as="li" key={`${i}-${r.name}`} fontSize="sm" color="gray.700">
                      <Text as="span" fontWeight="bold">
                        {r.name}
                      </Text>
                      {r.description ? <Text as="span"> — {r.description}</Text> : null}
                    </Box>
                  ))}
                </Stack>
              </Part>
            ) : null}
            {has(prof.other_facts) ? (
              <Part caption={t('personaDetail.fields.otherFacts')}>
                <Bullets items={prof.other_facts ?? []} />
              </Part>
            ) : null}
          </Stack>
        </Card>
      ) : null}

      {emptyProfile ? (
        <Card>
          <Text fontSize="sm" color="fg.muted">
            {t('personaDetail.emptyProfile')}
          </Text>
        </Card>
      ) : null}
    </Stack>
  );
}
