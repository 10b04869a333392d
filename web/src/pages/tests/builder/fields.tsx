/*
 * The builder's fields: each knows its API path, and shows the mistake at
 * that path - the builder's own check once the field was left or its step
 * was submitted, or the API's refusal while the field still holds what was
 * refused.
 */
import {
  Box,
  Field,
  IconButton,
  Input,
  NativeSelect,
  Textarea,
  type InputProps,
  type TextareaProps,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldId, useFieldError, useTouch } from './errorsContext';

function Label({
  label,
  required,
  optional,
}: {
  label: string;
  required?: boolean | undefined;
  optional?: boolean | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Field.Label fontSize="sm" fontWeight="normal" color="gray.700">
      {label}
      {required ? <Field.RequiredIndicator /> : null}
      {optional ? (
        <Box as="span" color="fg.muted" fontSize="xs">
          {t('common.optional')}
        </Box>
      ) : null}
    </Field.Label>
  );
}

export function TextField({
  path,
  label,
  helper,
  required,
  optional,
  value,
  onValue,
  ...input
}: Omit<InputProps, 'value' | 'onChange'> & {
  path: string;
  label: string;
  helper?: ReactNode;
  required?: boolean;
  optional?: boolean;
  value: string;
  onValue: (v: string) => void;
}) {
  const error = useFieldError(path);
  const touch = useTouch();
  return (
    <Field.Root invalid={!!error} required={required}>
      <Label label={label} required={required} optional={optional} />
      <Input
        id={fieldId(path)}
        bg="white"
        borderRadius="12px"
        fontSize="sm"
        value={value}
        onChange={(e) => onValue(e.target.value)}
        onBlur={() => touch(path)}
        {...input}
      />
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
      {helper && !error ? <Field.HelperText color="fg.muted">{helper}</Field.HelperText> : null}
    </Field.Root>
  );
}

export function TextAreaField({
  path,
  label,
  helper,
  required,
  value,
  onValue,
  ...area
}: Omit<TextareaProps, 'value' | 'onChange'> & {
  path: string;
  label: string;
  helper?: ReactNode;
  required?: boolean;
  value: string;
  onValue: (v: string) => void;
}) {
  const error = useFieldError(path);
  const touch = useTouch();
  return (
    <Field.Root invalid={!!error} required={required}>
      <Label label={label} required={required} />
      <Textarea
        id={fieldId(path)}
        bg="white"
        borderRadius="12px"
        fontSize="sm"
        autoresize
        minH="80px"
        value={value}
        onChange={(e) => onValue(e.target.value)}
        onBlur={() => touch(path)}
        {...area}
      />
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
      {helper && !error ? <Field.HelperText color="fg.muted">{helper}</Field.HelperText> : null}
    </Field.Root>
  );
}

export function SelectField({
  path,
  label,
  helper,
  value,
  onValue,
  children,
  testId,
  optional,
}: {
  path: string;
  label: string;
  helper?: ReactNode;
  value: string;
  onValue: (v: string) => void;
  children: ReactNode;
  testId?: string;
  optional?: boolean;
}) {
  const error = useFieldError(path);
  const touch = useTouch();
  return (
    <Field.Root invalid={!!error}>
      <Label label={label} optional={optional} />
      <NativeSelect.Root size="md">
        <NativeSelect.Field
          id={fieldId(path)}
          data-testid={testId}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          onBlur={() => touch(path)}
          borderRadius="12px"
          bg="white"
          fontSize="sm"
        >
          {children}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
      {helper && !error ? <Field.HelperText color="fg.muted">{helper}</Field.HelperText> : null}
    </Field.Root>
  );
}

/** A message at a path that is not one input (a list's count, the panel as a whole). */
export function PathError({ path, always = false }: { path: string; always?: boolean }) {
  const error = useFieldError(path, always);
  if (!error) return null;
  return (
    <Box role="alert" color="red.600" fontSize="sm" mt="4px" data-path={path}>
      {error}
    </Box>
  );
}

/** A small icon button with its label (remove, move up, move down). */
export function SmallIconButton({
  label,
  onClick,
  children,
  disabled,
}: {
  label: string;
  onClick: () => void;
  children: ReactNode;
  disabled?: boolean;
}) {
  return (
    <IconButton
      aria-label={label}
      title={label}
      size="sm"
      variant="ghost"
      color="gray.600"
      onClick={onClick}
      disabled={disabled}
    >
      {children}
    </IconButton>
  );
}
