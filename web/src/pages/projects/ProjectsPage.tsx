/*
 * /projects - the workspace's projects, paged: each with its tests (a link to
 * the tests list filtered by it), renamed or re-described in place, deleted
 * with a confirm that says what happens to its tests (the API refuses while
 * it has any). The plan's project limit is shown, and at the limit an
 * upgrade prompt takes the place of the "new project" form.
 */
import {
  Box,
  Button,
  Field,
  Flex,
  Heading,
  Input,
  Link,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
} from '@chakra-ui/react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { useMe } from '../../api/auth';
import { fieldErrors } from '../../api/errors';
import {
  useCreateProject,
  useDeleteProject,
  useProjectTestCounts,
  useProjects,
  useUpdateProject,
  type Project,
} from '../../api/projects';
import { ActionError } from '../../components/ActionError';
import { Card, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { IconBox } from '../../components/IconBox';
import { PencilIcon, PlusIcon, ProjectsIcon, TestsIcon, TrashIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { CardGridSkeleton } from '../../components/Skeletons';
import { UpgradePrompt } from '../../components/UpgradePrompt';
import { UsageMeter } from '../../components/UsageMeter';
import { formatDate, formatNumber } from '../../lib/format';
import {
  DESCRIPTION_MAX,
  PAGE_SIZE,
  changes,
  checkProject,
  pageFromParams,
  projectErrorMessage,
  testsLink,
  type ProjectForm,
} from './projectsLogic';

/** The name and description inputs, shared by "new project" and "edit". */
function ProjectFields({
  form,
  setForm,
  errors,
  autoFocus = false,
}: {
  form: ProjectForm;
  setForm: (f: ProjectForm) => void;
  errors: Partial<Record<keyof ProjectForm, string>>;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field.Root invalid={!!errors.name} required>
        <Field.Label fontSize="sm" color="gray.700">
          {t('projects.form.name')}
          <Field.RequiredIndicator />
        </Field.Label>
        <Input
          name="name"
          value={form.name}
          autoFocus={autoFocus}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          placeholder={t('projects.form.namePlaceholder')}
          borderRadius="12px"
          bg="white"
        />
        {errors.name ? <Field.ErrorText>{errors.name}</Field.ErrorText> : null}
      </Field.Root>
      <Field.Root invalid={!!errors.description}>
        <Field.Label fontSize="sm" color="gray.700">
          {t('projects.form.description')}
          <Field.RequiredIndicator fallback={t('common.optional')} color="fg.muted" fontSize="xs" />
        </Field.Label>
        <Textarea
          name="description"
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
          placeholder={t('projects.form.descriptionPlaceholder')}
          borderRadius="12px"
          bg="white"
          rows={3}
          autoresize
          maxH="200px"
        />
        {errors.description ? (
          <Field.ErrorText>{errors.description}</Field.ErrorText>
        ) : (
          <Field.HelperText color="fg.muted">
            {t('projects.form.descriptionHelper', {
              used: [...form.description].length,
              max: DESCRIPTION_MAX,
            })}
          </Field.HelperText>
        )}
      </Field.Root>
    </>
  );
}

function CreateProjectCard({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const create = useCreateProject();
  const [form, setForm] = useState<ProjectForm>({ name: '', description: '' });
  const [problems, setProblems] = useState<Partial<Record<keyof ProjectForm, string>>>({});

  const send = () =>
    create.mutate(
      {
        name: form.name.trim(),
        ...(form.description.trim() ? { description: form.description.trim() } : {}),
      },
      {
        onSuccess: () => {
          setForm({ name: '', description: '' });
          onCreated();
        },
      },
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = checkProject(form, t);
    setProblems(p);
    if (Object.keys(p).length === 0) send();
  };
  const byField = fieldErrors(create.error, t, ['name', 'description']);
  const apiField: Partial<Record<keyof ProjectForm, string>> = {};
  for (const k of ['name', 'description'] as const)
    if (byField[k]) apiField[k] = projectErrorMessage(create.error, t) ?? byField[k];
  const errors = { ...apiField, ...problems };
  const general = create.isError && Object.keys(byField).length === 0;

  return (
    <Card data-testid="create-project">
      <CardHeader title={t('projects.create.title')} subtitle={t('projects.create.subtitle')} />
      <form onSubmit={submit} noValidate aria-label={t('projects.create.title')}>
        <Stack gap="12px" maxW="640px">
          <ProjectFields
            form={form}
            setForm={(f) => {
              setForm(f);
              setProblems({});
            }}
            errors={errors}
            autoFocus
          />
          {general ? (
            <ActionError
              testId="create-project-error"
              error={create.error}
              message={projectErrorMessage(create.error, t)}
              onRetry={send}
            />
          ) : null}
          <Flex gap="8px" wrap="wrap">
            <Button
              type="submit"
              colorPalette="teal"
              borderRadius="12px"
              loading={create.isPending}
            >
              {t('projects.create.submit')}
            </Button>
            <Button variant="outline" borderRadius="12px" onClick={onClose}>
              {t('projects.cancel')}
            </Button>
          </Flex>
        </Stack>
      </form>
    </Card>
  );
}

function TestsCount({ id, count }: { id: string; count: number | undefined }) {
  const { t, i18n } = useTranslation();
  if (count === undefined) return <Skeleton h="18px" w="90px" />;
  return (
    <Link asChild color="teal.700" fontWeight="bold" fontSize="sm">
      <RouterLink to={testsLink(id)} data-testid="project-tests-link">
        <TestsIcon boxSize="16px" />
        {t('projects.card.tests', { count, formatted: formatNumber(count, i18n.language) })}
      </RouterLink>
    </Link>
  );
}

function ProjectCard({
  project,
  count,
  onDelete,
}: {
  project: Project;
  count: number | undefined;
  onDelete: () => void;
}) {
  const { t, i18n } = useTranslation();
  const update = useUpdateProject();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<ProjectForm>({ name: '', description: '' });
  const [problems, setProblems] = useState<Partial<Record<keyof ProjectForm, string>>>({});
  const editButton = useRef<HTMLButtonElement>(null);
  const created = formatDate(project.created_at, i18n.language);
  const updated = formatDate(project.updated_at, i18n.language);

  const startEdit = () => {
    update.reset();
    setProblems({});
    setForm({ name: project.name, description: project.description ?? '' });
    setEditing(true);
  };
  const stopEdit = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const send = () => {
    const body = changes(project, form);
    if (!body) {
      stopEdit();
      return;
    }
    update.mutate({ id: project.id, ...body }, { onSuccess: stopEdit });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = checkProject(form, t);
    setProblems(p);
    if (Object.keys(p).length === 0) send();
  };
  const byField = fieldErrors(update.error, t, ['name', 'description']);
  const apiField: Partial<Record<keyof ProjectForm, string>> = {};
  for (const k of ['name', 'description'] as const)
    if (byField[k]) apiField[k] = projectErrorMessage(update.error, t) ?? byField[k];
  const errors = { ...apiField, ...problems };
  const general = update.isError && Object.keys(byField).length === 0;

  return (
    <Card h="100%" data-testid="project-card" data-name={project.name}>
      {editing ? (
        <form
          onSubmit={submit}
          noValidate
          aria-label={t('projects.edit.title', { name: project.name })}
        >
          <Stack gap="12px">
            <Heading as="h3" fontSize="md" color="gray.700">
              {t('projects.edit.title', { name: project.name })}
            </Heading>
            <ProjectFields
              form={form}
              setForm={(f) => {
                setForm(f);
                setProblems({});
              }}
              errors={errors}
              autoFocus
            />
            {general ? (
              <ActionError
                error={update.error}
                message={projectErrorMessage(update.error, t)}
                onRetry={send}
              />
            ) : null}
            <Flex gap="8px" wrap="wrap">
              <Button type="submit" size="sm" colorPalette="teal" loading={update.isPending}>
                {t('projects.edit.save')}
              </Button>
              <Button size="sm" variant="outline" onClick={stopEdit} disabled={update.isPending}>
                {t('projects.cancel')}
              </Button>
            </Flex>
          </Stack>
        </form>
      ) : (
        <Flex direction="column" gap="10px" h="100%">
          <Flex gap="12px" align="flex-start">
            <IconBox size="40px">
              <ProjectsIcon boxSize="20px" />
            </IconBox>
            <Box flex="1" minW={0}>
              <Heading as="h3" fontSize="md" color="gray.700" wordBreak="break-word">
                {project.name}
              </Heading>
              <Text fontSize="xs" color="fg.muted">
                {created === updated
                  ? t('projects.card.created', { created })
                  : t('projects.card.dates', { created, updated })}
              </Text>
            </Box>
          </Flex>
          <Text
            fontSize="sm"
            color={project.description ? 'gray.700' : 'fg.muted'}
            fontStyle={project.description ? undefined : 'italic'}
            lineClamp={4}
            whiteSpace="pre-line"
            flex="1"
          >
            {project.description || t('projects.card.noDescription')}
          </Text>
          <Flex justify="space-between" align="center" gap="8px" wrap="wrap" pt="4px">
            <TestsCount id={project.id} count={count} />
            <Flex gap="4px">
              <Button
                ref={editButton}
                size="xs"
                variant="ghost"
                color="teal.700"
                onClick={startEdit}
                aria-label={t('projects.card.editOne', { name: project.name })}
              >
                <PencilIcon boxSize="14px" />
                {t('projects.card.edit')}
              </Button>
              <Button
                size="xs"
                variant="ghost"
                colorPalette="red"
                onClick={onDelete}
                aria-label={t('projects.card.deleteOne', { name: project.name })}
              >
                <TrashIcon boxSize="14px" />
                {t('projects.card.delete')}
              </Button>
            </Flex>
          </Flex>
        </Flex>
      )}
    </Card>
  );
}

function DeleteProjectDialog({
  project,
  count,
  onClose,
}: {
  project: Project | null;
  count: number | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteProject();
  const [lastId, setLastId] = useState<string | null>(null);
  if ((project?.id ?? null) !== lastId) {
    setLastId(project?.id ?? null);
    remove.reset();
  }
  const hasTests = count !== undefined && count > 0;
  return (
    <ConfirmDialog
      testId="delete-project-dialog"
      open={project !== null}
      onClose={onClose}
      title={t('projects.delete.title', { name: project?.name ?? '' })}
      confirmLabel={t('projects.delete.confirm')}
      cancelLabel={t('projects.cancel')}
      busy={remove.isPending}
      confirmDisabled={hasTests}
      onConfirm={() => {
        if (project) remove.mutate(project.id, { onSuccess: onClose });
      }}
      error={
        remove.isError ? (
          <ActionError error={remove.error} message={projectErrorMessage(remove.error, t)} />
        ) : null
      }
    >
      {hasTests ? (
        <Stack gap="8px">
          <Text data-testid="delete-has-tests">{t('projects.delete.hasTests', { count })}</Text>
          {project ? (
            <Link asChild color="teal.700" fontWeight="bold">
              <RouterLink to={testsLink(project.id)}>{t('projects.delete.seeTests')}</RouterLink>
            </Link>
          ) : null}
        </Stack>
      ) : (
        <Text>{count === 0 ? t('projects.delete.empty') : t('projects.delete.unknown')}</Text>
      )}
    </ConfirmDialog>
  );
}

export default function ProjectsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [params, setParams] = useSearchParams();
  const { page, offset } = pageFromParams(params);
  const q = useProjects({ limit: PAGE_SIZE, offset });
  const me = useMe();
  const ids = q.data?.projects.map((p) => p.id) ?? [];
  const counts = useProjectTestCounts(ids);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);

  const meter = me.data?.usage.projects;
  const full = meter ? meter.limit !== null && meter.used >= meter.limit : false;
  const plan = me.data ? t(`plans.${me.data.workspace.plan_type}`) : '';
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const setPage = (p: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (p > 1) next.set('page', String(p));
      else next.delete('page');
      return next;
    });

  // a page past the end (the last project of a page deleted): go to the last one
  const pastEnd = !!q.data && q.data.projects.length === 0 && total > 0 && page > 1;
  useEffect(() => {
    if (pastEnd) setPage(pages);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pastEnd, pages]);

  const closeCreate = () => {
    setCreating(false);
    requestAnimationFrame(() => newButton.current?.focus());
  };

  return (
    <Stack gap="24px">
      <Card>
        <CardHeader
          title={t('projects.list.title')}
          subtitle={
            q.data
              ? t('projects.list.count', { count: total, formatted: formatNumber(total, lng) })
              : t('projects.list.subtitle')
          }
          actions={
            !full && !creating ? (
              <Button
                ref={newButton}
                colorPalette="teal"
                size="sm"
                borderRadius="12px"
                onClick={() => setCreating(true)}
                disabled={me.isPending}
                data-testid="new-project"
              >
                <PlusIcon boxSize="16px" />
                {t('projects.list.new')}
              </Button>
            ) : null
          }
        />
        <Text fontSize="sm" color="fg.muted" mb="16px" maxW="720px">
          {t('projects.list.intro')}
        </Text>
        {meter ? (
          <Box maxW="480px" data-testid="projects-meter">
            <UsageMeter label={t('usage.meters.projects')} meter={meter} />
          </Box>
        ) : me.isPending ? (
          <Skeleton h="32px" maxW="480px" />
        ) : null}
        {full && meter?.limit != null ? (
          <Box mt="16px">
            <UpgradePrompt
              testId="projects-upgrade"
              title={t('projects.upgrade.title', { count: meter.limit, plan })}
              text={t('projects.upgrade.text', { count: meter.limit, plan })}
              actionLabel={t('actions.upgrade')}
            />
          </Box>
        ) : null}
      </Card>

      {creating && !full ? (
        <CreateProjectCard onClose={closeCreate} onCreated={() => setCreating(false)} />
      ) : null}

      <Box aria-live="polite" aria-busy={q.isFetching}>
        {q.isPending ? (
          <CardGridSkeleton count={3} />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.projects.length === 0 ? (
          <Card>
            <EmptyState
              icon={<ProjectsIcon boxSize="26px" />}
              title={t('projects.list.emptyTitle')}
              description={t('projects.list.emptyText')}
              actions={
                !full && !creating ? (
                  <Button colorPalette="teal" size="sm" onClick={() => setCreating(true)}>
                    {t('projects.list.createFirst')}
                  </Button>
                ) : null
              }
            />
          </Card>
        ) : (
          <Stack gap="24px">
            <SimpleGrid
              columns={{ base: 1, md: 2, xl: 3 }}
              gap="24px"
              as="ul"
              listStyleType="none"
              m={0}
              p={0}
              data-testid="project-grid"
              opacity={q.isPlaceholderData ? 0.6 : 1}
            >
              {q.data.projects.map((p) => (
                <li key={p.id}>
                  <ProjectCard project={p} count={counts[p.id]} onDelete={() => setDeleting(p)} />
                </li>
              ))}
            </SimpleGrid>
            {pages > 1 ? (
              <Pager
                page={page}
                pages={pages}
                onPage={setPage}
                showing={{ from: offset + 1, to: offset + q.data.projects.length, total }}
              />
            ) : null}
          </Stack>
        )}
      </Box>

      <DeleteProjectDialog
        project={deleting}
        count={deleting ? counts[deleting.id] : undefined}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}
