/** The signed-in user, for every page under the shell (`useUser`). */
import { createContext, useContext } from 'react';
import type { User } from '../api.js';

export const SessionContext = createContext<{ user: User; logout: () => void } | null>(null);

export function useSession(): { user: User; logout: () => void } {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in shell');
  return session;
}

export function useUser(): User {
  return useSession().user;
}
