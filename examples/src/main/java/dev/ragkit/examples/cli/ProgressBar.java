package dev.ragkit.examples.cli;

import dev.ragkit.core.ingest.IngestionListener;
import dev.ragkit.core.ingest.IngestionProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws ingestion progress on standard error. On a terminal the bar is redrawn in place at every
 * report (each written batch of chunks, so it moves within a big document too); otherwise (a pipe,
 * a CI log) one line is printed at each quarter so logs stay short. The fraction is of the text's
 * characters, see {@link IngestionProgress#fraction()}.
 */
final class ProgressBar implements IngestionListener {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean interactive;
    private int lastQuarter = -1;
    private boolean drawn;

    ProgressBar(PrintStream err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public synchronized void onProgress(IngestionProgress p) {
        String line = render(p);
        if (interactive) {
            err.print("\r" + line);
            err.flush();
            drawn = true;
            return;
        }
        int quarter = (int) Math.floor(p.fraction() * 4);
        if (quarter != lastQuarter) {
            lastQuarter = quarter;
            err.println(line);
        }
    }

    /** Ends the in-place line so that what follows starts on a new one. */
    synchronized void finish() {
        if (interactive && drawn) {
            err.println();
            drawn = false;
        }
    }

    static String render(IngestionProgress p) {
        // Rounded down, so that 100 % means done rather than almost done.
        int filled = (int) Math.floor(p.fraction() * WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d documents, %d chunks embedded, %d unchanged",
                "#".repeat(filled), ".".repeat(WIDTH - filled), (int) Math.floor(p.fraction() * 100),
                p.documentsDone(), p.documentsTotal(), p.chunksEmbedded(), p.chunksUnchanged());
    }
}
