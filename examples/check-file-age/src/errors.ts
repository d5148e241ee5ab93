import { defineError } from '@proconsul/kernel';

export const FileAgeInvalid = defineError('FILE_AGE_INVALID', 400, (reason: string) => `Invalid check: ${reason}`);
