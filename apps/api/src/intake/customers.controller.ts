import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { CustomersService } from '@helpdesk/intake';
import { CreateCustomerDto } from './customer.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles(StaffRole.AdminAgent, StaffRole.SalesAgent)
  create(@Body() body: CreateCustomerDto) {
    return this.customers.create(body);
  }

  @Get()
  list() {
    return this.customers.list();
  }

  @Get(':id')
  get(@Param('id', UuidParamPipe) id: string) {
    return this.customers.get(id);
  }

  /** A token scoped to this customer, shown once. */
  @Post(':id/tokens')
  @Roles(StaffRole.AdminAgent)
  issueToken(@Param('id', UuidParamPipe) id: string) {
    return this.customers.issueToken(id);
  }
}
