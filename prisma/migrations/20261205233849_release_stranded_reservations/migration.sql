-- Members a preview reservation left RESERVED after its dialing was dialed or ran out (recording moved only
-- DIALING members on): with no dialing left to hold them, they go back to be dialed.
UPDATE "Member" SET status = 'IDLE', "updatedAt" = now()
 WHERE status = 'RESERVED' AND NOT EXISTS (SELECT 1 FROM "Dialing" d WHERE d."memberId" = "Member".id);
