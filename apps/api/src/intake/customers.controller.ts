import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { CustomersService } from '@helpdesk/intake';
import { CreateCustomerDto } from './customer.dto';
import { CustomerResponseDto, CustomerTokenDto } from './intake-responses.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles(StaffRole.AdminAgent, StaffRole.SalesAgent)
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

  /** A token scoped to this customer, shown once. */
  @Post(':id/tokens')
  @Roles(StaffRole.AdminAgent)
  @ApiCreatedResponse({ type: CustomerTokenDto })
  issueToken(@Param('id', UuidParamPipe) id: string) {
    return this.customers.issueToken(id);
  }
}
