package org.atnas.cli;

/**
 * A study's cell whose command failed: the message names the cell, its phase and its log, where the
 * command's own error and output are; the launcher prints it without a stack trace of its own.
 */
final class StudyCellFailedException
        extends RuntimeException
{
    StudyCellFailedException(String message)
    {
        super(message);
    }
}
