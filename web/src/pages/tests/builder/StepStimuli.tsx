import { Badge, Box, Button, Flex, Heading, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { ChevronDownIcon, ChevronUpIcon, PlusIcon, TrashIcon } from '../../../components/Icons';
import { PathError, SmallIconButton, TextAreaField, TextField } from './fields';
import {
  newScenario,
  newVariant,
  nextId,
  nextVariantId,
  typeRules,
  type BuilderForm,
  type ScenarioForm,
  type VariantForm,
} from './form';

type SetForm = (f: (prev: BuilderForm) => BuilderForm) => void;

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const out = [...list];
  const [x] = out.splice(from, 1);
  if (x !== undefined) out.splice(to, 0, x);
  return out;
}

function Variants({
  scenario,
  si,
  required,
  update,
}: {
  scenario: ScenarioForm;
  si: number;
  required: boolean;
  update: (s: (prev: ScenarioForm) => ScenarioForm) => void;
}) {
  const { t } = useTranslation();
  const setVariant = (vi: number, v: Partial<VariantForm>) =>
    update((s) => ({
      ...s,
      variants: s.variants.map((x, i) => (i === vi ? { ...x, ...v } : x)),
    }));
  const add = () =>
    update((s) => ({
      ...s,
      variants: [...s.variants, newVariant(nextVariantId(s.variants.map((v) => v.id.trim())))],
    }));
  const startAB = () =>
    update((s) => ({ ...s, variants: [newVariant('A', s.stimulus), newVariant('B')] }));
  const path = `config.scenarios[${si}].variants`;

  if (!required && scenario.variants.length === 0)
    return (
      <Flex gap="12px" align="center" wrap="wrap" bg="gray.50" borderRadius="12px" p="12px">
        <Text fontSize="sm" color="gray.700" flex="1" minW="200px">
          {t('builder.stimuli.abOffer')}
        </Text>
        <Button size="sm" variant="outline" onClick={startAB} data-testid="start-ab">
          {t('builder.stimuli.abStart')}
        </Button>
      </Flex>
    );

  return (
    <Box>
      <Flex align="baseline" justify="space-between" gap="8px" wrap="wrap" mb="8px">
        <Heading as="h4" fontSize="sm" color="gray.700">
          {t('builder.stimuli.variants')}
        </Heading>
        <Text fontSize="xs" color="fg.muted">
          {t('builder.stimuli.variantsHelp')}
        </Text>
      </Flex>
      <Stack gap="12px" data-testid={`variants-${si}`}>
        {scenario.variants.map((v, vi) => (
          <Box
            key={v.key}
            borderWidth="1px"
            borderColor="gray.100"
            borderRadius="12px"
            p="12px"
            data-testid="variant"
          >
            <Flex gap="12px" align="flex-start" direction={{ base: 'column', sm: 'row' }}>
              <Box w={{ base: '100%', sm: '120px' }} flexShrink={0}>
                <TextField
                  path={`${path}[${vi}].id`}
                  label={t('builder.stimuli.variantId')}
                  value={v.id}
                  onValue={(id) => setVariant(vi, { id })}
                  data-testid="variant-id"
                  maxLength={64}
                />
              </Box>
              <Box flex="1" w="100%">
                <TextAreaField
                  path={`${path}[${vi}].stimulus`}
                  label={t('builder.stimuli.variantText', { id: v.id || '?' })}
                  value={v.stimulus}
                  onValue={(stimulus) => setVariant(vi, { stimulus })}
                  data-testid="variant-stimulus"
                  required
                />
              </Box>
              <Box pt={{ base: 0, sm: '26px' }}>
                <SmallIconButton
                  label={t('builder.stimuli.removeVariant', { id: v.id || vi + 1 })}
                  onClick={() =>
                    update((s) => ({ ...s, variants: s.variants.filter((_, i) => i !== vi) }))
                  }
                  disabled={required && scenario.variants.length <= 2}
                >
                  <TrashIcon boxSize="16px" />
                </SmallIconButton>
              </Box>
            </Flex>
          </Box>
        ))}
      </Stack>
      <PathError path={path} />
      <Flex gap="8px" mt="10px" wrap="wrap">
        <Button
          size="sm"
          variant="outline"
          onClick={add}
          disabled={scenario.variants.length >= 10}
          data-testid="add-variant"
        >
          <PlusIcon boxSize="14px" />
          {t('builder.stimuli.addVariant')}
        </Button>
        {!required ? (
          <Button size="sm" variant="ghost" onClick={() => update((s) => ({ ...s, variants: [] }))}>
            {t('builder.stimuli.noVariants')}
          </Button>
        ) : null}
      </Flex>
    </Box>
  );
}

export function StepStimuli({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const rules = typeRules(form.type);
  const unit = rules.steps ? 'step' : 'scenario';
  const updateScenario = (si: number) => (fn: (prev: ScenarioForm) => ScenarioForm) =>
    setForm((f) => ({ ...f, scenarios: f.scenarios.map((s, i) => (i === si ? fn(s) : s)) }));
  const add = () =>
    setForm((f) => {
      const s = newScenario(
        nextId(
          rules.steps ? 'step' : 'scenario',
          f.scenarios.map((x) => x.id.trim()),
        ),
      );
      if (rules.variantsRequired) s.variants = [newVariant('A'), newVariant('B')];
      return { ...f, scenarios: [...f.scenarios, s] };
    });

  return (
    <Stack gap="20px">
      <Text fontSize="sm" color="fg.muted">
        {t(`builder.stimuli.intro.${form.type || 'product'}`)}
      </Text>
      {form.scenarios.map((s, si) => {
        const sp = `config.scenarios[${si}]`;
        const update = updateScenario(si);
        return (
          <Box
            key={s.key}
            borderWidth="1px"
            borderColor="gray.200"
            borderRadius="card"
            p={{ base: '12px', md: '18px' }}
            data-testid="scenario"
          >
            <Flex align="center" gap="8px" mb="12px">
              <Badge colorPalette="teal" variant="subtle" borderRadius="badge">
                {t(`builder.stimuli.${unit}N`, { n: si + 1 })}
              </Badge>
              <Heading as="h3" fontSize="md" color="gray.700" flex="1" truncate>
                {s.title.trim() || t(`builder.stimuli.${unit}Untitled`)}
              </Heading>
              {rules.steps ? (
                <>
                  <SmallIconButton
                    label={t('builder.stimuli.moveUp')}
                    onClick={() =>
                      setForm((f) => ({ ...f, scenarios: move(f.scenarios, si, si - 1) }))
                    }
                    disabled={si === 0}
                  >
                    <ChevronUpIcon boxSize="16px" />
                  </SmallIconButton>
                  <SmallIconButton
                    label={t('builder.stimuli.moveDown')}
                    onClick={() =>
                      setForm((f) => ({ ...f, scenarios: move(f.scenarios, si, si + 1) }))
                    }
                    disabled={si === form.scenarios.length - 1}
                  >
                    <ChevronDownIcon boxSize="16px" />
                  </SmallIconButton>
                </>
              ) : null}
              <SmallIconButton
                label={t(`builder.stimuli.remove_${unit}`, { n: si + 1 })}
                onClick={() =>
                  setForm((f) => ({ ...f, scenarios: f.scenarios.filter((_, i) => i !== si) }))
                }
                disabled={form.scenarios.length <= 1}
              >
                <TrashIcon boxSize="16px" />
              </SmallIconButton>
            </Flex>
            <Stack gap="14px">
              <SimpleGrid columns={{ base: 1, md: 3 }} gap="12px">
                <Box gridColumn={{ md: 'span 2' }}>
                  <TextField
                    path={`${sp}.title`}
                    label={t('builder.stimuli.title')}
                    value={s.title}
                    onValue={(title) => update((x) => ({ ...x, title }))}
                    optional
                    maxLength={200}
                    data-testid="scenario-title"
                  />
                </Box>
                <TextField
                  path={`${sp}.id`}
                  label={t('builder.stimuli.id')}
                  helper={t('builder.stimuli.idHelp')}
                  value={s.id}
                  onValue={(id) => update((x) => ({ ...x, id }))}
                  required
                  maxLength={64}
                />
              </SimpleGrid>
              <TextAreaField
                path={`${sp}.stimulus`}
                label={t(
                  rules.variants && s.variants.length
                    ? 'builder.stimuli.contextLabel'
                    : `builder.stimuli.stimulusLabel.${form.type || 'product'}`,
                )}
                helper={
                  rules.variants && s.variants.length
                    ? t('builder.stimuli.contextHelp')
                    : t('builder.stimuli.stimulusHelp')
                }
                value={s.stimulus}
                onValue={(stimulus) => update((x) => ({ ...x, stimulus }))}
                required
                data-testid="scenario-stimulus"
              />
              <TextField
                path={`${sp}.image_url`}
                label={t('builder.stimuli.imageUrl')}
                helper={t('builder.stimuli.imageUrlHelp')}
                value={s.imageUrl}
                onValue={(imageUrl) => update((x) => ({ ...x, imageUrl }))}
                optional
                type="url"
                inputMode="url"
                placeholder="https://"
              />
              {rules.variants ? (
                <Variants scenario={s} si={si} required={rules.variantsRequired} update={update} />
              ) : null}
            </Stack>
          </Box>
        );
      })}
      <PathError path="config.scenarios" />
      <Box>
        <Button
          variant="outline"
          size="sm"
          onClick={add}
          disabled={form.scenarios.length >= 50}
          data-testid="add-scenario"
        >
          <PlusIcon boxSize="14px" />
          {t(`builder.stimuli.add_${unit}`)}
        </Button>
      </Box>
    </Stack>
  );
}
