import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ConsoleSessionsService, Public, SESSION_COOKIE } from '@helpdesk/auth';
import type { AuthenticatedRequest, StaffPrincipal } from '@helpdesk/auth';
import { SessionResponseDto, SignInDto } from './session.dto';
import { clearSessionCookie, setSessionCookie } from './session-cookie';

/** The web console's sign-in: a staff token for an HttpOnly session cookie, who is signed in, sign-out. */
@ApiTags('session')
@ApiCookieAuth(SESSION_COOKIE)
@Controller('session')
export class SessionController {
  constructor(private readonly sessions: ConsoleSessionsService) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Exchanges a staff token for a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) that lasts SESSION_TTL_MINUTES. 401 for an invalid token, 403 for a customer token.',
  })
  @ApiCreatedResponse({ type: SessionResponseDto })
  async signIn(@Body() body: SignInDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const started = await this.sessions.start(body.token);
    setSessionCookie(reply, request, started.id, started.expiresAt);
    return started.view;
  }

  @Get()
  @ApiOperation({ summary: 'Who is signed in (staff): agent, name, roles; with the session cookie also its expiry and CSRF token.' })
  @ApiOkResponse({ type: SessionResponseDto })
  current(@Req() request: AuthenticatedRequest) {
    return this.sessions.view(request.principal as StaffPrincipal, request.consoleSession);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Signs the session out server-side (its cookie stops working at once, in every api process) and clears the cookie. Needs X-CSRF-Token.' })
  @ApiNoContentResponse()
  async signOut(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if (request.consoleSession) await this.sessions.end(request.consoleSession.id);
    clearSessionCookie(reply, request);
  }
}
