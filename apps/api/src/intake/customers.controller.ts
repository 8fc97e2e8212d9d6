import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { ContactsService, CustomersService } from '@helpdesk/intake';
import { IssuedTokenResponseDto, TokenResponseDto } from '../agents/agent.dto';
import { ContactResponseDto, CustomerResponseDto } from './intake-responses.dto';
import { CreateContactDto, CreateCustomerDto, UpdateContactDto, UpdateCustomerDto } from './customer.dto';

/**
 * Customers are managed (details, plan, contacts; listing and revoking their tokens) by global_admin,
 * admin_agent and sales_agent; their tokens are issued by global_admin and admin_agent; any staff reads them.
 */
const MANAGES_CUSTOMERS = [StaffRole.AdminAgent, StaffRole.SalesAgent] as const;
const ISSUES_CUSTOMER_TOKENS = [StaffRole.AdminAgent] as const;

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly contacts: ContactsService,
  ) {}

  @Post()
  @Roles(...MANAGES_CUSTOMERS)
  @ApiCreatedResponse({ type: CustomerResponseDto })
  create(@Body() body: CreateCustomerDto) {
    return this.customers.create(body);
  }

  @Get()
  @ApiOkResponse({ type: CustomerResponseDto, isArray: true })
  list() {
    return this.customers.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.customers.get(id);
  }

  @Patch(':id')
  @Roles(...MANAGES_CUSTOMERS)
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiOperation({ summary: "Name, domains, plan. A new plan moves the customer's open tickets' SLA clocks onto it from now on (an sla_replanned event each)." })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateCustomerDto) {
    return this.customers.update(principal, id, body);
  }

  // ── Tokens scoped to the customer ────────────────────────────────────────────────────────────

  @Get(':id/tokens')
  @Roles(...MANAGES_CUSTOMERS)
  @ApiOkResponse({ type: TokenResponseDto, isArray: true })
  listTokens(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.customers.listTokens(principal, id);
  }

  /** A token scoped to this customer, shown once. */
  @Post(':id/tokens')
  @Roles(...ISSUES_CUSTOMER_TOKENS)
  @ApiCreatedResponse({ type: IssuedTokenResponseDto })
  issueToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.customers.issueToken(principal, id);
  }

  @Post(':id/tokens/:tokenId/rotate')
  @Roles(...ISSUES_CUSTOMER_TOKENS)
  @ApiOperation({ summary: 'Revokes the token and issues its replacement (shown once), at once in every api process.' })
  @ApiCreatedResponse({ type: IssuedTokenResponseDto })
  rotateToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('tokenId', UuidParamPipe) tokenId: string) {
    return this.customers.rotateToken(principal, id, tokenId);
  }

  @Delete(':id/tokens/:tokenId')
  @Roles(...MANAGES_CUSTOMERS)
  @ApiOperation({ summary: 'Revokes the token at once in every api process (it stays listed, with revokedAt).' })
  @ApiOkResponse({ type: TokenResponseDto })
  revokeToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('tokenId', UuidParamPipe) tokenId: string) {
    return this.customers.revokeToken(principal, id, tokenId);
  }

  // ── Contacts ─────────────────────────────────────────────────────────────────────────────────

  @Get(':id/contacts')
  @ApiOkResponse({ type: ContactResponseDto, isArray: true })
  listContacts(@Param('id', UuidParamPipe) id: string) {
    return this.contacts.list(id);
  }

  @Post(':id/contacts')
  @Roles(...MANAGES_CUSTOMERS)
  @ApiCreatedResponse({ type: ContactResponseDto })
  createContact(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: CreateContactDto) {
    return this.contacts.create(principal, id, body);
  }

  @Get(':id/contacts/:contactId')
  @ApiOkResponse({ type: ContactResponseDto })
  getContact(@Param('id', UuidParamPipe) id: string, @Param('contactId', UuidParamPipe) contactId: string) {
    return this.contacts.get(id, contactId);
  }

  @Patch(':id/contacts/:contactId')
  @Roles(...MANAGES_CUSTOMERS)
  @ApiOkResponse({ type: ContactResponseDto })
  updateContact(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Param('contactId', UuidParamPipe) contactId: string,
    @Body() body: UpdateContactDto,
  ) {
    return this.contacts.update(principal, id, contactId, body);
  }

  @Delete(':id/contacts/:contactId')
  @HttpCode(204)
  @Roles(...MANAGES_CUSTOMERS)
  async removeContact(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('contactId', UuidParamPipe) contactId: string) {
    await this.contacts.remove(principal, id, contactId);
  }
}
