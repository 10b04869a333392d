import { Field, NativeSelect } from '@chakra-ui/react';
import type { ReactNode } from 'react';

/** A list's filter as a small labelled native select (the options are the children). */
export function SelectFilter({
  label,
  value,
  onChange,
  children,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Field.Root>
      <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
        {label}
      </Field.Label>
      <NativeSelect.Root size="sm">
        <NativeSelect.Field
          value={value}
          onChange={(e) => onChange(e.target.value)}
          borderRadius="12px"
          bg="white"
          data-testid={testId}
        >
          {children}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
    </Field.Root>
  );
}
