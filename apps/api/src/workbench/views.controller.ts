import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@helpdesk/auth';
import type { StaffPrincipal } from '@helpdesk/auth';
import { SavedViewsService } from '@helpdesk/workbench';
import { PageQueryDto } from '../pagination/page-query.dto';
import { TicketPageDto } from '../intake/intake-responses.dto';
import { CreateViewDto, UpdateViewDto } from './view.dto';
import { SavedViewDto, UncountedViewDto } from './view-responses.dto';

const ANY_STAFF = 'Roles: any staff role (customer tokens: 403).';

/**
 * Saved views. Staff only (the guard refuses customer tokens on routes not marked for them); a
 * personal view is its owner's alone, shared ones are changed by admin_agent or global_admin.
 */
@ApiTags('views')
@ApiBearerAuth()
@Controller('views')
export class ViewsController {
  constructor(private readonly views: SavedViewsService) {}

  @Get()
  @ApiOperation({
    summary: "The caller's views with their live ticket counts",
    description: `Built-in (my-open, unassigned-in-my-queues, breaching-soon, waiting-on-customer, escalated), shared, then personal. ${ANY_STAFF}`,
  })
  @ApiOkResponse({ type: [SavedViewDto] })
  list(@CurrentPrincipal() principal: StaffPrincipal) {
    return this.views.list(principal);
  }

  // "names" is no view's id (a built-in view's id is a word like my-open, a saved one's a uuid).
  @Get('names')
  @ApiOperation({
    summary: "The caller's views without their counts",
    description: `As GET /views, without counting each view's tickets: a screen shows the names at once and asks GET /views for the counts. ${ANY_STAFF}`,
  })
  @ApiOkResponse({ type: [UncountedViewDto] })
  names(@CurrentPrincipal() principal: StaffPrincipal) {
    return this.views.listUncounted(principal);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Save a view (a named filter and sort)', description: `${ANY_STAFF} visibility shared: admin_agent or global_admin.` })
  @ApiCreatedResponse({ type: SavedViewDto })
  create(@CurrentPrincipal() principal: StaffPrincipal, @Body() body: CreateViewDto) {
    return this.views.create(principal, { name: body.name, visibility: body.visibility, filter: { ...body.filter }, sort: body.sort ?? '-number' });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One view (a built-in id or a saved view id) with its live count', description: ANY_STAFF })
  @ApiOkResponse({ type: SavedViewDto })
  get(@CurrentPrincipal() principal: StaffPrincipal, @Param('id') id: string) {
    return this.views.get(principal, id);
  }

  @Get(':id/tickets')
  @ApiOperation({ summary: "A page of the view's tickets in its sort (nextCursor as cursor for the next)", description: ANY_STAFF })
  @ApiOkResponse({ type: TicketPageDto })
  tickets(@CurrentPrincipal() principal: StaffPrincipal, @Param('id') id: string, @Query() page: PageQueryDto) {
    return this.views.tickets(principal, id, page);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a view, or replace its filter or sort', description: `${ANY_STAFF} Personal views: their owner; shared views: admin_agent or global_admin; built-in views: 403.` })
  @ApiOkResponse({ type: SavedViewDto })
  update(@CurrentPrincipal() principal: StaffPrincipal, @Param('id') id: string, @Body() body: UpdateViewDto) {
    return this.views.update(principal, id, { name: body.name, filter: body.filter && { ...body.filter }, sort: body.sort });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a view', description: `${ANY_STAFF} Personal views: their owner; shared views: admin_agent or global_admin; built-in views: 403.` })
  async remove(@CurrentPrincipal() principal: StaffPrincipal, @Param('id') id: string) {
    await this.views.remove(principal, id);
  }
}
