export * from './attachment.view';
export * from './attachment-writer';
export * from './attachments.module';
export * from './attachments.service';
export * from './content-type';
export * from './file-content';
export * from './mail-attachments.service';
