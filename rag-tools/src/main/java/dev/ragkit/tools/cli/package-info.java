/** The command-line parser shared by every Ragkit tool. */
package dev.ragkit.tools.cli;
