import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { MailTemplates } from '@helpdesk/channels';
import { ApiRoles } from '../dto/api-roles';
import { NotificationTemplateDto, NotificationTemplateParamsDto, PreviewNotificationTemplateDto, RenderedNotificationDto, SaveNotificationTemplateDto } from './notification-template.dto';

const EDITORS = [StaffRole.AdminAgent];
const REFUSED = 'A CR/LF or control character in the subject, a subject over 200 characters, an unknown placeholder (named in the message and in `unknownPlaceholders`), a section or other tag, a broken tag, or a ticket subject without [{{ticket.number}}]: 422 naming the field.';

/** The wording of the customer notifications, per kind and locale (es, en). */
@ApiTags('notification-templates')
@ApiBearerAuth()
@Controller('notification-templates')
export class NotificationTemplatesController {
  constructor(private readonly templates: MailTemplates) {}

  @Get()
  @ApiRoles('Every notification kind in every locale: its wording, whether it is customised, its placeholders', EDITORS)
  @ApiOkResponse({ type: [NotificationTemplateDto] })
  list() {
    return this.templates.list();
  }

  @Get(':kind/:locale')
  @ApiRoles('One notification’s wording in one locale', EDITORS)
  @ApiOkResponse({ type: NotificationTemplateDto })
  get(@Param() p: NotificationTemplateParamsDto) {
    return this.templates.get(p.kind, p.locale);
  }

  @Put(':kind/:locale')
  @ApiRoles('Reword a notification in one locale (audited); mails queued later use it', EDITORS, { description: REFUSED })
  @ApiOkResponse({ type: NotificationTemplateDto })
  @ApiUnprocessableEntityResponse({ description: REFUSED })
  save(@CurrentPrincipal() principal: Principal, @Param() p: NotificationTemplateParamsDto, @Body() body: SaveNotificationTemplateDto) {
    return this.templates.save(principal, p.kind, p.locale, { subject: body.subject, body: body.body });
  }

  @Delete(':kind/:locale')
  @ApiRoles('Back to the built-in wording (audited)', EDITORS)
  @ApiOkResponse({ type: NotificationTemplateDto })
  reset(@Param() p: NotificationTemplateParamsDto) {
    return this.templates.reset(p.kind, p.locale);
  }

  @Post(':kind/:locale/preview')
  @HttpCode(200)
  @ApiRoles('The notification filled with made-up facts in its locale: a draft, or the current wording; writes nothing', EDITORS)
  @ApiOkResponse({ type: RenderedNotificationDto })
  @ApiUnprocessableEntityResponse({ description: REFUSED })
  preview(@Param() p: NotificationTemplateParamsDto, @Body() body: PreviewNotificationTemplateDto) {
    return this.templates.preview(p.kind, p.locale, body);
  }
}
