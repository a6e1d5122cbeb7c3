import type { AmiEvent } from '../ami/message.js';
import { callerId, int, text } from './fields.js';
import { parkedCallKey, type ParkedCall, type ParkedCallLeaveReason } from './state.js';
import type { Tx } from './tx.js';

/**
 * Parking lots (Parkinglot items of the Parkinglots action: Asterisk 22 has no ParkinglotsList action,
 * answered-to-park.jsonl line 43) and the calls parked in them, keyed by lot and space.
 */

export function onParkinglot(tx: Tx, event: AmiEvent): void {
  const name = text(event, 'name');
  tx.put('parkingLot', name, {
    server: tx.server,
    name,
    startSpace: int(event, 'startspace'),
    stopSpace: int(event, 'stopspace'),
    timeout: int(event, 'timeout'),
  });
}

function parked(tx: Tx, event: AmiEvent, previous: ParkedCall | undefined): ParkedCall {
  const uniqueid = text(event, 'parkeeuniqueid');
  const duration = int(event, 'parkingduration');
  const at = tx.at(event);
  const sameParkee = previous?.parkeeUniqueid === uniqueid;
  return {
    server: tx.server,
    lot: text(event, 'parkinglot'),
    space: int(event, 'parkingspace'),
    parkeeChannel: text(event, 'parkeechannel'),
    parkeeUniqueid: uniqueid,
    parkeeLinkedid: text(event, 'parkeelinkedid'),
    parkeeCallerIdNum: callerId(event, 'parkeecalleridnum'),
    parkeeCallerIdName: callerId(event, 'parkeecalleridname'),
    parkeeConnectedLineNum: callerId(event, 'parkeeconnectedlinenum'),
    parkeeConnectedLineName: callerId(event, 'parkeeconnectedlinename'),
    parkerDialString: text(event, 'parkerdialstring'),
    // ParkingTimeout counts down (20, then 18 in a list 2 s later); with ParkingDuration it is the lot's limit.
    timeout: int(event, 'parkingtimeout') + duration,
    parkedAt: (sameParkee ? previous.parkedAt : null) ?? (at === null ? null : at - duration * 1000),
    leaveReason: null,
    retrieverChannel: null,
  };
}

/** ParkedCall (the event and the ParkedCalls list item alike) and ParkedCallSwap (a new parkee in the space). */
export function onParkedCall(tx: Tx, event: AmiEvent): void {
  const key = parkedCallKey(text(event, 'parkinglot'), int(event, 'parkingspace'));
  tx.put('parkedCall', key, parked(tx, event, tx.get('parkedCall', key)));
}

function leave(tx: Tx, event: AmiEvent, leaveReason: ParkedCallLeaveReason): void {
  const key = parkedCallKey(text(event, 'parkinglot'), int(event, 'parkingspace'));
  const previous = tx.get('parkedCall', key);
  if (previous === undefined) return;
  const retriever = text(event, 'retrieverchannel');
  tx.remove('parkedCall', key, {
    ...parked(tx, event, previous),
    leaveReason,
    retrieverChannel: retriever === '' ? null : retriever,
  });
}

export const onUnParkedCall = (tx: Tx, event: AmiEvent): void => leave(tx, event, 'RETRIEVED');
export const onParkedCallTimeOut = (tx: Tx, event: AmiEvent): void => leave(tx, event, 'TIMED_OUT');
export const onParkedCallGiveUp = (tx: Tx, event: AmiEvent): void => leave(tx, event, 'GAVE_UP');

/** A resynced parked call keeps the moment it was parked, when it is still the same parkee. */
export function carryParkedCall(old: ParkedCall, fresh: ParkedCall): ParkedCall {
  return old.parkeeUniqueid === fresh.parkeeUniqueid ? { ...fresh, parkedAt: old.parkedAt ?? fresh.parkedAt } : fresh;
}
