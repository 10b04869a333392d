/*
 * The pieces every auth form ends with: its submit button (Purity's
 * uppercase teal button, busy while the request is in flight) and the line
 * that sends the person to the other form ("No account? Sign up").
 */
import { Button, Link, Text } from '@chakra-ui/react';
import { Link as RouterLink } from 'react-router';

export function AuthSubmit({
  busy,
  label,
  busyLabel,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
}) {
  return (
    <Button
      type="submit"
      colorPalette="teal"
      size="lg"
      borderRadius="card"
      fontSize="xs"
      fontWeight="bold"
      textTransform="uppercase"
      loading={busy}
      loadingText={busyLabel}
    >
      {label}
    </Button>
  );
}

export function AuthSwitch({ text, to, link }: { text: string; to: string; link: string }) {
  return (
    <Text mt="20px" fontSize="sm" color="fg.muted" textAlign="center">
      {text}{' '}
      <Link asChild color="teal.700" fontWeight="bold">
        <RouterLink to={to}>{link}</RouterLink>
      </Link>
    </Text>
  );
}
