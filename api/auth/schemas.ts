import { z } from '../http/zod.js';
import { UserView } from '../users/schemas.js';

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .openapi('LoginRequest');

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: UserView }).openapi('LoginResponse');

export type LoginRequest = z.input<typeof LoginBody>;
export type LoginResponse = z.output<typeof LoginResponse>;
