import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface TagCount {
  tag: string;
  count: number;
}

/** The tags in use and how many tickets carry each, from the counters (ticket-tag-counts.sql). */
@Injectable()
export class TagsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Most used first (then by name); `prefix` narrows to tags starting with it. */
  async list(options: { prefix?: string; limit: number }): Promise<TagCount[]> {
    const rows: TagCount[] = await this.dataSource.query(
      `SELECT tag, sum(n)::int AS count
         FROM (SELECT tag, n FROM ticket_tag_counts UNION ALL SELECT tag, n FROM ticket_tag_count_deltas) c
        WHERE $1::text IS NULL OR starts_with(tag, $1)
        GROUP BY tag HAVING sum(n) > 0
        ORDER BY count DESC, tag LIMIT $2`,
      [options.prefix ?? null, options.limit],
    );
    return rows;
  }
}
