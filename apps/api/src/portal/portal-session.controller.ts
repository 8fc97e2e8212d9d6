import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ConsoleSessionsService, CustomersOnly, Public, SESSION_COOKIE } from '@helpdesk/auth';
import type { AuthenticatedRequest, CustomerPrincipal } from '@helpdesk/auth';
import { PORTAL_LINK_PAGE, PortalSignInService } from '@helpdesk/channels';
import { clearSessionCookie, setSessionCookie } from '../session/session-cookie';
import { PortalLinkSignInDto, PortalSessionResponseDto, PortalSignInDto, SignInLinkAcceptedDto, SignInLinkRequestDto } from './portal-session.dto';
import { SignInLinkLimits } from './sign-in-link-limits';

const ApiSeeOtherResponse = (options: { description: string }) => ApiResponse({ status: 303, ...options });

/** The one answer to a sign-in link request, whoever asks. */
const LINK_ACCEPTED: SignInLinkAcceptedDto = { message: 'If the address is one of our contacts, a sign-in link is on its way.' };
/** A mailed link is 32 random bytes, base64url; anything else is no link of ours. */
const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** The one answer for a link that is unknown, used or expired: which of the three is nobody's business. */
const LINK_SPENT = 'This sign-in link does not work any more: it was used already, it expired, or it is not one of ours. Ask for a new one on the portal’s sign-in page.';

/**
 * The customer portal's sign-in: a customer token, or a link mailed to a contact, for the same
 * HttpOnly session cookie the console uses (the portal's pages only take customer sessions).
 */
@ApiTags('portal')
@ApiCookieAuth(SESSION_COOKIE)
@Controller('portal')
export class PortalSessionController {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly portal: PortalSignInService,
    private readonly limits: SignInLinkLimits,
  ) {}

  @Post('session')
  @Public()
  @ApiOperation({ summary: 'Exchanges a customer token for a portal session cookie (HttpOnly, SameSite=Strict). 401 for an invalid token, 403 for a staff token.' })
  @ApiCreatedResponse({ type: PortalSessionResponseDto })
  async signIn(@Body() body: PortalSignInDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalSessionResponseDto> {
    const started = await this.sessions.startForCustomerToken(body.token);
    setSessionCookie(reply, request, started.id, started.expiresAt);
    return { ...(await this.portal.who(started.principal)), ...this.sessions.customerSession(started) };
  }

  @Get('session')
  @CustomersOnly()
  @ApiOperation({ summary: 'Who is signed in to the portal (customers only): the customer, the contact (mailed link), the session’s expiry and CSRF token.' })
  @ApiOkResponse({ type: PortalSessionResponseDto })
  async current(@Req() request: AuthenticatedRequest): Promise<PortalSessionResponseDto> {
    return { ...(await this.portal.who(request.principal as CustomerPrincipal)), ...this.sessions.customerSession(request.consoleSession) };
  }

  @Delete('session')
  @CustomersOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Signs the portal session out (customers only) and clears the cookie. Needs X-CSRF-Token.' })
  @ApiNoContentResponse()
  async signOut(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (request.consoleSession) await this.sessions.end(request.consoleSession.id);
    clearSessionCookie(reply, request);
  }

  @Post('sign-in-links')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: "Mails a single-use sign-in link (PORTAL_LINK_TTL_MINUTES) to a customer contact's address, in the contact's language",
    description: 'The answer is the same 202 whether the address is a contact or not. PORTAL_LINK_LIMIT requests per PORTAL_LINK_WINDOW_MS per address and per client address, then 429.',
  })
  @ApiAcceptedResponse({ type: SignInLinkAcceptedDto })
  @ApiTooManyRequestsResponse({ description: 'Too many links asked for this address or from this client address' })
  async requestLink(@Body() body: SignInLinkRequestDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SignInLinkAcceptedDto> {
    await this.limits.count(body.email, request.ip, reply);
    await this.portal.requestLink(body.email);
    return LINK_ACCEPTED;
  }

  @Post('session/link')
  @Public()
  @ApiOperation({
    summary: 'Spends a mailed sign-in link (once, before it expires) for the portal session cookie of its contact: what the "Sign in" button of /portal/sign-in-link does. 401 for a link that is unknown, used or expired.',
  })
  @ApiCreatedResponse({ type: PortalSessionResponseDto })
  async signInByLink(@Body() body: PortalLinkSignInDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalSessionResponseDto> {
    const started = await this.portal.exchange(body.token);
    if (!started) throw new UnauthorizedException(LINK_SPENT);
    setSessionCookie(reply, request, started.session.id, started.session.expiresAt);
    return { ...(await this.portal.who(started)), ...this.sessions.customerSession(started.session) };
  }

  @Get('sign-in-links/:token')
  @Public()
  @ApiOperation({
    summary: `The mailed link. It spends nothing (mail scanners fetch links before people do): it sends the browser (303) to the portal's page ${PORTAL_LINK_PAGE}#<token>, where a person presses "Sign in" (POST /portal/session/link); something that is no link of ours goes to /portal/sign-in?link=invalid.`,
  })
  @ApiSeeOtherResponse({ description: `To ${PORTAL_LINK_PAGE}#<token>, or /portal/sign-in?link=invalid (no body)` })
  async open(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    // In the fragment, the token never reaches a server again, nor a Referer.
    const to = LINK_TOKEN.test(token) ? `${PORTAL_LINK_PAGE}#${token}` : '/portal/sign-in?link=invalid';
    await reply.code(303).header('Location', to).header('Cache-Control', 'no-store').send();
  }
}
