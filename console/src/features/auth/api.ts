/** The login call as a TanStack Query mutation (never retried: a refusal is an answer). */
import { useMutation } from '@tanstack/react-query';
import type { LoginBody } from '../../../../api/auth/schemas.js';
import { api } from '../../api.js';
import type { z } from 'zod';

export function useLogin() {
  return useMutation({ mutationKey: ['auth', 'login'], mutationFn: (body: z.output<typeof LoginBody>) => api.login(body.username, body.password) });
}
