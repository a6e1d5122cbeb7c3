/**
 * Writes the benchmark's input: a header CSV of N members with two numbers each, and the same members
 * pre-formatted in COPY text for Member and MemberNumber (the bare COPY baseline).
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { MemberIds } from '../../src/outbound/members/memberIds.js';

export const BENCH_LIST_ID = '01900000-0000-7000-8000-00000000be01';
export const MEMBER_COPY_COLUMNS = ['id', 'dialListId', 'name', 'externalKey', 'variables', 'createdAt', 'updatedAt'];
export const NUMBER_COPY_COLUMNS = ['memberId', 'slot', 'dialListId', 'number'];

export type BenchFiles = { csv: string; memberCopy: string; numberCopy: string };

const SEGMENTS = ['north', 'south', 'east', 'west'];

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

export async function generate(directory: string, rows: number): Promise<BenchFiles> {
  const files = {
    csv: join(directory, 'members.csv'),
    memberCopy: join(directory, 'members.copy'),
    numberCopy: join(directory, 'numbers.copy'),
  };
  const csv = createWriteStream(files.csv);
  const members = createWriteStream(files.memberCopy);
  const numbers = createWriteStream(files.numberCopy);
  const ids = new MemberIds();
  const now = new Date().toISOString();
  let csvPiece = 'externalKey,name,number1,number2,var_segment\n';
  let memberPiece = '';
  let numberPiece = '';
  for (let index = 1; index <= rows; index++) {
    const key = `C${String(index).padStart(9, '0')}`;
    const mobile = `+3460${String(index).padStart(7, '0')}`;
    const home = `+3491${String(index).padStart(7, '0')}`;
    const segment = SEGMENTS[index % SEGMENTS.length] as string;
    // The CSV row sits on line index + 1 (line 1 is the header), as importMembers numbers it.
    const id = ids.forRow(index + 1);
    csvPiece += `${key},Customer ${index},${mobile},${home},${segment}\n`;
    memberPiece += `${id}\t${BENCH_LIST_ID}\tCustomer ${index}\t${key}\t{"segment":"${segment}"}\t${now}\t${now}\n`;
    numberPiece += `${id}\t1\t${BENCH_LIST_ID}\t${mobile}\n${id}\t2\t${BENCH_LIST_ID}\t${home}\n`;
    if (csvPiece.length > 1 << 20 || index === rows) {
      await write(csv, csvPiece);
      await write(members, memberPiece);
      await write(numbers, numberPiece);
      csvPiece = memberPiece = numberPiece = '';
    }
  }
  await Promise.all([finish(csv), finish(members), finish(numbers)]);
  return files;
}
