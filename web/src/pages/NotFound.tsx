import { Box, Button, Flex, Heading, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Card } from '../components/Card';

/** Any path the UI does not know (the server answers index.html for it). */
export default function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Flex minH="100vh" align="center" justify="center" bg="gray.50" p="16px">
      <Card maxW="480px" w="100%" textAlign="center" p="32px" as="main">
        <Text fontSize="5xl" fontWeight="bold" color="teal.600" aria-hidden="true">
          404
        </Text>
        <Heading as="h1" fontSize="xl" mb="8px">
          {t('notFound.title')}
        </Heading>
        <Text color="fg.muted" mb="20px">
          {t('notFound.text')}
        </Text>
        <Box>
          <Flex gap="8px" justify="center" wrap="wrap">
            <Button colorPalette="teal" onClick={() => navigate('/dashboard')}>
              {t('notFound.home')}
            </Button>
            <Button variant="outline" onClick={() => navigate(-1)}>
              {t('actions.goBack')}
            </Button>
          </Flex>
        </Box>
      </Card>
    </Flex>
  );
}
