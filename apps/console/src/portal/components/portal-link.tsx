import { Link, type LinkComponentProps } from '@tanstack/react-router';
import type { portalRouter } from '../portal-router';

/** TanStack Router's Link, typed by the portal's routes (the registered router is the staff console's). */
export function PortalLink<const TTo extends string>(props: LinkComponentProps<'a', typeof portalRouter, string, TTo>) {
  return <Link {...(props as LinkComponentProps<'a'>)} />;
}
