export * from './views/view-filter';
export * from './views/built-in-views';
export * from './views/saved-views.service';
export * from './views/shared-counts';
export * from './tags/tags.service';
export * from './tags/tag-counts-compactor.service';
export * from './workbench.module';
