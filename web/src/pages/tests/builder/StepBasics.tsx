import { Box, Button, Flex, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useProjectOptions } from '../../../api/tests';
import type { TestType } from '../../../api/types';
import { IconBox } from '../../../components/IconBox';
import { withExample } from './examples';
import { PathError, SelectField, TextField } from './fields';
import { TEST_TYPES, withType, type BuilderForm } from './form';
import { BoxIcon, GroupIcon, MessageIcon, RouteIcon } from '../../../components/Icons';

const TYPE_ICONS = {
  product: BoxIcon,
  message: MessageIcon,
  journey: RouteIcon,
  focus_group: GroupIcon,
} as const;

/** Has the user written any stimulus or question yet? */
function hasContent(form: BuilderForm): boolean {
  return form.scenarios.some(
    (s) => s.stimulus.trim() || s.questions.length || s.variants.some((v) => v.stimulus.trim()),
  );
}

export function StepBasics({
  form,
  setForm,
}: {
  form: BuilderForm;
  setForm: (f: (prev: BuilderForm) => BuilderForm) => void;
}) {
  const { t } = useTranslation();
  const projects = useProjectOptions();
  return (
    <Stack gap="20px">
      <TextField
        path="name"
        label={t('builder.basics.name')}
        placeholder={t('builder.basics.namePlaceholder')}
        required
        value={form.name}
        onValue={(name) => setForm((f) => ({ ...f, name }))}
        data-testid="test-name"
        maxLength={200}
      />
      <Box role="radiogroup" aria-labelledby="type-label">
        <Text id="type-label" fontSize="sm" color="gray.700" mb="8px">
          {t('builder.basics.type')}
        </Text>
        <SimpleGrid columns={{ base: 1, md: 2 }} gap="12px">
          {TEST_TYPES.map((type: TestType) => {
            const Icon = TYPE_ICONS[type];
            const checked = form.type === type;
            return (
              <Box
                as="button"
                key={type}
                role="radio"
                aria-checked={checked}
                data-testid={`type-${type}`}
                onClick={() => setForm((f) => withType(f, type))}
                textAlign="left"
                display="block"
                p="14px"
                borderRadius="card"
                borderWidth="2px"
                borderColor={checked ? 'teal.400' : 'gray.100'}
                bg={checked ? 'teal.50' : 'white'}
                _hover={{ borderColor: checked ? 'teal.400' : 'gray.300' }}
                transition="border-color 0.15s"
              >
                <Flex gap="12px" align="flex-start">
                  <IconBox size="40px" active={checked}>
                    <Icon boxSize="20px" />
                  </IconBox>
                  <Box>
                    <Text fontWeight="bold" color="gray.700">
                      {t(`tests.type.${type}`)}
                    </Text>
                    <Text fontSize="sm" color="fg.muted">
                      {t(`builder.types.${type}.description`)}
                    </Text>
                    <Text fontSize="xs" color="fg.muted" mt="4px" fontStyle="italic">
                      {t(`builder.types.${type}.example`)}
                    </Text>
                  </Box>
                </Flex>
              </Box>
            );
          })}
        </SimpleGrid>
        <PathError path="type" />
      </Box>
      {form.type ? (
        <Flex
          gap="12px"
          align="center"
          wrap="wrap"
          bg="gray.50"
          borderRadius="12px"
          p="12px"
          data-testid="example-offer"
        >
          <Text fontSize="sm" color="gray.700" flex="1" minW="200px">
            {hasContent(form)
              ? t('builder.basics.exampleReplace', {
                  type: t(`tests.type.${form.type}`).toLowerCase(),
                })
              : t('builder.basics.exampleOffer', {
                  type: t(`tests.type.${form.type}`).toLowerCase(),
                })}
          </Text>
          <Button
            size="sm"
            variant="outline"
            onClick={() => setForm((f) => withExample(f, f.type as TestType, t))}
            data-testid="use-example"
          >
            {t('builder.basics.useExample')}
          </Button>
        </Flex>
      ) : null}
      <SelectField
        path="project_id"
        label={t('builder.basics.project')}
        helper={t('builder.basics.projectHelp')}
        value={form.projectId}
        onValue={(projectId) => setForm((f) => ({ ...f, projectId }))}
        optional
      >
        <option value="">
          {projects.data?.projects.length
            ? t('builder.basics.projectDefault')
            : t('builder.basics.projectNew')}
        </option>
        {(projects.data?.projects ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
    </Stack>
  );
}
