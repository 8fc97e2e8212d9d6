import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CustomersOnly } from '@helpdesk/auth';
import type { AuthenticatedRequest, CustomerPrincipal, Principal } from '@helpdesk/auth';
import { SupportPlansService } from '@helpdesk/intake';
import { SupportOfferingResponseDto } from './intake-responses.dto';
import { SupportOfferingQueryDto } from './support-plan.dto';

/** What a customer was promised: its own plan, in its language. */
@ApiTags('support plans')
@ApiBearerAuth()
@Controller('me')
export class SupportOfferingController {
  constructor(private readonly plans: SupportPlansService) {}

  @Get('support-offering')
  @CustomersOnly()
  @ApiOperation({
    summary: "The caller's support offering: its plan's scope, contact points with their hours, price and targets",
    description: 'Customers only. In `locale` when given, else the first of es/en in Accept-Language, else the signed-in contact’s language, else DEFAULT_LOCALE.',
  })
  @ApiOkResponse({ type: SupportOfferingResponseDto })
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'es or en (the first of them, by q-value)' })
  @ApiForbiddenResponse({ description: 'Staff tokens (a staff member has no plan: read /support-plans)' })
  offering(@CurrentPrincipal() principal: Principal, @Query() query: SupportOfferingQueryDto, @Req() request: AuthenticatedRequest) {
    return this.plans.offeringFor(principal as CustomerPrincipal, { locale: query.locale, acceptLanguage: request.headers['accept-language'] });
  }
}
