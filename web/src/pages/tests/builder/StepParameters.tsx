import { Box, Flex, RadioGroup, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useLlmStatus } from '../../../api/usage';
import { OfflineModelBadge } from '../../../components/Badges';
import { TextField } from './fields';
import type { BuilderForm, ParamsForm } from './form';
import { LIMITS } from './validate';

type SetForm = (f: (prev: BuilderForm) => BuilderForm) => void;

export function StepParameters({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const llm = useLlmStatus();
  const p = form.params;
  const set = (k: keyof ParamsForm) => (v: string) =>
    setForm((f) => ({ ...f, params: { ...f.params, [k]: v } }));
  return (
    <Stack gap="20px">
      <Flex gap="8px" align="center" wrap="wrap">
        <Text fontSize="sm" color="fg.muted" flex="1" minW="200px">
          {llm.data
            ? t('builder.params.serverModel', { model: llm.data.model })
            : t('builder.params.intro')}
        </Text>
        <OfflineModelBadge />
      </Flex>
      <SimpleGrid columns={{ base: 1, md: 2, lg: 3 }} gap="14px">
        <TextField
          path="config.model.name"
          label={t('builder.params.model')}
          helper={t('builder.params.modelHelp')}
          placeholder={llm.data?.model ?? ''}
          value={p.modelName}
          onValue={set('modelName')}
          optional
          maxLength={LIMITS.modelName}
        />
        <TextField
          path="config.model.temperature"
          label={t('builder.params.temperature')}
          helper={t('builder.params.temperatureHelp')}
          value={p.temperature}
          onValue={set('temperature')}
          inputMode="decimal"
          optional
          data-testid="param-temperature"
        />
        <TextField
          path="config.model.concurrency"
          label={t('builder.params.concurrency')}
          helper={t('builder.params.concurrencyHelp', { max: LIMITS.concurrency })}
          value={p.concurrency}
          onValue={set('concurrency')}
          inputMode="numeric"
          optional
        />
        <TextField
          path="config.seed"
          label={t('builder.params.seed')}
          helper={t('builder.params.seedHelp')}
          value={p.seed}
          onValue={set('seed')}
          inputMode="numeric"
          optional
          data-testid="param-seed"
        />
        <TextField
          path="config.samples"
          label={t('builder.params.samples')}
          helper={t('builder.params.samplesHelp', { max: LIMITS.samples })}
          value={p.samples}
          onValue={set('samples')}
          inputMode="numeric"
        />
        <TextField
          path="config.timeout"
          label={t('builder.params.timeout')}
          helper={t('builder.params.timeoutHelp')}
          value={p.timeout}
          onValue={set('timeout')}
          inputMode="numeric"
        />
      </SimpleGrid>
      <TextField
        path="config.environment"
        label={t('builder.params.environment')}
        helper={t('builder.params.environmentHelp')}
        placeholder={t('builder.params.environmentPlaceholder')}
        value={p.environment}
        onValue={set('environment')}
        optional
        maxLength={LIMITS.environment}
      />
      <Box>
        <Text id="elicitation-label" fontSize="sm" color="gray.700" mb="8px">
          {t('builder.params.elicitation')}
        </Text>
        <RadioGroup.Root
          value={p.elicitation}
          onValueChange={(e) => set('elicitation')(e.value ?? 'direct')}
          aria-labelledby="elicitation-label"
          colorPalette="teal"
        >
          <Stack gap="10px">
            {(['direct', 'ssr'] as const).map((e) => (
              <RadioGroup.Item key={e} value={e} alignItems="flex-start">
                <RadioGroup.ItemHiddenInput />
                <RadioGroup.ItemIndicator mt="2px" />
                <RadioGroup.ItemText>
                  <Text fontSize="sm" fontWeight="bold" color="gray.700">
                    {t(`builder.params.elicit.${e}`)}
                  </Text>
                  <Text fontSize="xs" color="fg.muted">
                    {t(`builder.params.elicit.${e}Help`)}
                  </Text>
                </RadioGroup.ItemText>
              </RadioGroup.Item>
            ))}
          </Stack>
        </RadioGroup.Root>
      </Box>
    </Stack>
  );
}
