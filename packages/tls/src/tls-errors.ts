import { defineError } from '@proconsul/kernel';

// TLS material (certificates, keys, CAs named in the tls {} config).
export const TlsFileInvalid = defineError(
  'TLS_FILE_INVALID',
  400,
  (key: string, file: string, reason: string) => `${key} ${file}: ${reason}`,
);
