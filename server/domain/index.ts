export {
  type AgentBookingCheck,
  type AgentBookingErrorCode,
  type AgentBookingInput,
  type AgentBookingWarningCode,
  assertAgentBooking,
  checkAgentBooking,
  isWithinPlages,
  offeredMinutesByDay,
  openingIntervals,
} from './agent-booking.ts';
export { bookingWindow, DELAI_JOURS_OUVRES, HORIZON_DAYS, isInBookingWindow } from './booking-window.ts';
export {
  AUDIENCES,
  type Audience,
  CONTACT_LEVELS,
  type ContactServiceKind,
  type Faq,
  type OnlineProcedure,
} from './contact-reasons.ts';
export { DomainError, type DomainErrorCode, type Issue, isDomainError } from './errors.ts';
export {
  type AgentAction,
  type AgentContext,
  allowedActions,
  authorize,
  bestProfile,
  type Decision,
  PROFILES,
  type Profile,
  profileOn,
  type ServiceContext,
} from './habilitations.ts';
export { guichetForHeldSlot, type HeldSlotState } from './held-slot.ts';
export {
  generateRdvCode,
  isRdvCode,
  normalizeRdvCode,
  type RandomFill,
  RDV_CODE_LENGTH,
} from './rdv-code.ts';
export {
  type ArrivalStatus,
  allowedReplanMotifs,
  arrivalStatus,
  assertCanCancel,
  assertCanFlagArrival,
  assertNotCancelled,
  assertReplanMotif,
  assertSelfCancellable,
  CONTRE_APPEL_COMMENT_MAX,
  type ContreAppel,
  type ContreAppelInput,
  canFlagArrival,
  type RdvState,
  validateContreAppel,
} from './rdv-lifecycle.ts';
export {
  allowsType,
  assertOfferedSlot,
  computeSlots,
  findFreeGuichet,
  findOfferedSlot,
  guichetOffers,
  type OfferedSlot,
  type SlotDay,
  type SlotQuery,
  type SlotsResult,
} from './slots.ts';
export {
  addDays,
  DAY_MS,
  daysBetween,
  formatDay,
  formatIsoWithOffset,
  isLocalDate,
  localDate,
  localDayNumber,
  localTime,
  MINUTE_MS,
  parseDay,
  parseTime,
  startOfLocalDay,
  weekday,
  zonedTime,
} from './time.ts';
export type {
  Busy,
  Canal,
  Fermeture,
  Guichet,
  HolidayCalendar,
  Interval,
  LocalDate,
  Plage,
  RdvType,
  ServiceKind,
  ServiceRules,
  Usager,
  WallTime,
  Weekday,
} from './types.ts';
export { CANAUX, HOLIDAY_CALENDARS, SERVICE_KINDS } from './types.ts';
export { normaliseVoie, postalUpper } from './voies.ts';
export {
  addWorkingDays,
  isPublicHoliday,
  isWorkingDay,
  type PublicHoliday,
  publicHolidays,
  workingDaysBetween,
} from './working-days.ts';
