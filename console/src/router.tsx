/**
 * Navigation for the pages, on react-router (the data router built in app/routes.tsx): `Link`,
 * `navigate` for code outside components (after a submit), and `usePath`. Every console URL is a
 * real, bookmarkable address; the server answers index.html for every non-/api path.
 */
import { forwardRef, type AnchorHTMLAttributes, type ReactNode } from 'react';
import { Link as RouterLink, useLocation } from 'react-router';

interface Navigator {
  navigate(to: string, options?: { replace?: boolean }): Promise<void> | void;
}

let current: Navigator | null = null;

/** The app attaches its router once it is created. */
export function attachNavigator(n: Navigator | null): void {
  current = n;
}

export function usePath(): string {
  return useLocation().pathname;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (current) void current.navigate(to, options);
  else if (options.replace) window.location.replace(to);
  else window.location.assign(to);
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children: ReactNode };

/** An <a> that navigates in-app on a plain left click and behaves like a link otherwise. */
export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link({ to, children, ...rest }, ref) {
  return (
    <RouterLink ref={ref} to={to} {...rest}>
      {children}
    </RouterLink>
  );
});
