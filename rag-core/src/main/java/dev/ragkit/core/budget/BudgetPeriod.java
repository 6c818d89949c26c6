package dev.ragkit.core.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/** The window a budget limit counts over; windows are calendar-aligned in UTC and reset to zero when they end. */
public enum BudgetPeriod {
    MINUTE, DAY, MONTH;

    /** The start of the window holding {@code now}, in epoch seconds. */
    public long windowStart(Instant now) {
        return switch (this) {
            case MINUTE -> now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), 60);
            case DAY -> LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            case MONTH -> {
                ZonedDateTime t = now.atZone(ZoneOffset.UTC);
                yield t.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            }
        };
    }

    /** The lowercase name used in keys, tags and the usage file, e.g. {@code day}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
