/*
 * A read-only value (an invite link, an API key) with a copy button: the
 * Clipboard API where the browser allows it, else the selected text and
 * execCommand('copy'); when neither works the text stays selected and the
 * user is told to copy it by hand. Labels come translated from the caller.
 */
import { Button, Field, Flex, Input, Text } from '@chakra-ui/react';
import { useEffect, useRef, useState } from 'react';
import { CheckIcon, CopyIcon } from './Icons';

export interface CopyLabels {
  copy: string;
  copied: string;
  /** said when the browser refuses to copy: "select it and press Ctrl+C" */
  failed: string;
}

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* refused (permissions, an insecure origin): try the old way */
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

export function CopyField({
  value,
  label,
  labels,
  testId,
  mono = true,
}: {
  value: string;
  label: string;
  labels: CopyLabels;
  testId?: string;
  mono?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const id = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(id);
  }, [state]);

  const copy = async () => {
    const ok = await copyText(value, input.current);
    setState(ok ? 'copied' : 'failed');
    if (!ok) input.current?.select();
  };

  return (
    <Field.Root data-testid={testId}>
      <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
        {label}
      </Field.Label>
      <Flex gap="8px" w="100%" direction={{ base: 'column', sm: 'row' }}>
        <Input
          ref={input}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          fontFamily={mono ? 'mono' : undefined}
          fontSize="sm"
          bg="gray.50"
          borderRadius="12px"
          flex={{ base: 'none', sm: '1' }}
          data-testid={testId ? `${testId}-value` : undefined}
        />
        <Button
          onClick={() => void copy()}
          colorPalette="teal"
          variant={state === 'copied' ? 'subtle' : 'solid'}
          borderRadius="12px"
          flexShrink={0}
          data-testid={testId ? `${testId}-copy` : undefined}
        >
          {state === 'copied' ? <CheckIcon boxSize="16px" /> : <CopyIcon boxSize="16px" />}
          {state === 'copied' ? labels.copied : labels.copy}
        </Button>
      </Flex>
      <Text
        aria-live="polite"
        fontSize="xs"
        color="orange.700"
        minH={state === 'failed' ? undefined : 0}
      >
        {state === 'failed' ? labels.failed : ''}
      </Text>
    </Field.Root>
  );
}
