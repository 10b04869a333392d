import { Button, Field, Input, InputGroup, type InputProps } from '@chakra-ui/react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A labelled input with its helper and its error (from the API's 400 by field). */
export function FormField({
  label,
  error,
  helper,
  required,
  optionalText,
  ...input
}: InputProps & {
  label: string;
  error?: string | undefined;
  helper?: ReactNode;
  required?: boolean;
  optionalText?: string;
}) {
  return (
    <Field.Root invalid={!!error} required={required}>
      <Field.Label fontSize="sm" fontWeight="normal" color="gray.700">
        {label}
        {required ? <Field.RequiredIndicator /> : null}
        {optionalText ? (
          <Field.RequiredIndicator fallback={optionalText} color="fg.muted" fontSize="xs" />
        ) : null}
      </Field.Label>
      <Input size="lg" borderRadius="card" bg="white" fontSize="sm" {...input} />
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
      {helper && !error ? <Field.HelperText color="fg.muted">{helper}</Field.HelperText> : null}
    </Field.Root>
  );
}

/** A password input with a show/hide toggle. */
export function PasswordField(
  props: Omit<InputProps, 'type'> & {
    label: string;
    error?: string | undefined;
    helper?: ReactNode;
    required?: boolean;
  },
) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const { label, error, helper, required, ...input } = props;
  return (
    <Field.Root invalid={!!error} required={required}>
      <Field.Label fontSize="sm" fontWeight="normal" color="gray.700">
        {label}
        {required ? <Field.RequiredIndicator /> : null}
      </Field.Label>
      <InputGroup
        endElement={
          <Button
            size="xs"
            variant="ghost"
            me="-6px"
            color="teal.700"
            onClick={() => setShown((s) => !s)}
            aria-pressed={shown}
          >
            {shown ? t('auth.hidePassword') : t('auth.showPassword')}
          </Button>
        }
      >
        <Input
          size="lg"
          borderRadius="card"
          bg="white"
          fontSize="sm"
          type={shown ? 'text' : 'password'}
          {...input}
        />
      </InputGroup>
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
      {helper && !error ? <Field.HelperText color="fg.muted">{helper}</Field.HelperText> : null}
    </Field.Root>
  );
}
