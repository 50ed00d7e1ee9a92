package org.atnas.core.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.atnas.api.ImageBatch;
import org.atnas.api.ImageShape;
import org.atnas.api.Task;

/**
 * A PNG of a task: one column per label with the class behind it, the support images in the top
 * rows and the query images below, so that a person can see what the model is asked to learn.
 */
public final class TaskPicture
{
    private static final int SCALE = 2;
    private static final int GAP = 6;
    private static final int HEADER = 46;
    private static final int MARGIN = 64;
    private static final int LINE = 13;

    private TaskPicture() {}

    /** The picture as PNG bytes; images are shown min-max scaled per image (dark = low). */
    public static byte[] png(TaskSampler.LabelledTask labelled, int maxQueriesPerClass)
    {
        Task task = labelled.task();
        ImageShape shape = task.support().shape();
        int shots = task.support().size() / task.ways();
        int queries = Math.min(maxQueriesPerClass, task.query().size() / task.ways());
        int cell = Math.max(shape.width() * SCALE, 72);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        FontMetrics metrics = fontMetrics(font);
        // each column's caption: its label, then the class and its group wrapped to the column's width, never cut
        List<List<String>> captions = new ArrayList<>();
        int captionLines = 0;
        for (int label = 0; label < task.ways(); label++) {
            ImageClass imageClass = labelled.classOfLabel().get(label);
            String name = imageClass.name();
            String leaf = name.substring(name.lastIndexOf('/') + 1);
            List<String> caption = new ArrayList<>();
            caption.add("label " + label);
            caption.addAll(wrap(leaf, metrics, cell));
            if (!imageClass.group().equals(leaf) && !name.equals(leaf)) {
                caption.addAll(wrap(imageClass.group(), metrics, cell));
            }
            captions.add(caption);
            captionLines = Math.max(captionLines, caption.size());
        }
        int header = Math.max(HEADER, captionLines * LINE + 8);
        int width = MARGIN + task.ways() * (cell + GAP);
        int height = header + (shots + queries) * (shape.height() * SCALE + GAP) + GAP * 3;
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = picture.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, width, height);
            graphics.setColor(Color.BLACK);
            graphics.setFont(font);
            for (int label = 0; label < task.ways(); label++) {
                int x = MARGIN + label * (cell + GAP);
                List<String> caption = captions.get(label);
                for (int line = 0; line < caption.size(); line++) {
                    graphics.drawString(caption.get(line), x, 12 + line * LINE);
                }
            }
            int y = header;
            graphics.drawString("support", 6, y + 14);
            y = drawRows(graphics, task.support(), task.ways(), shots, shots, cell, y);
            y += GAP * 2;
            graphics.drawString("query", 6, y + 14);
            drawRows(graphics, task.query(), task.ways(), task.query().size() / task.ways(), queries, cell, y);
        }
        finally {
            graphics.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "png", out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the task picture: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Draws {@code rows} images per label, label columns; returns the y below them. */
    private static int drawRows(Graphics2D graphics, ImageBatch batch, int ways, int perLabel, int rows, int cell, int top)
    {
        ImageShape shape = batch.shape();
        int[] drawn = new int[ways];
        for (int i = 0; i < batch.size(); i++) {
            int label = batch.labels()[i];
            if (drawn[label] >= rows) {
                continue;
            }
            int x = MARGIN + label * (cell + GAP);
            int y = top + drawn[label] * (shape.height() * SCALE + GAP);
            graphics.drawImage(toImage(batch.pixels(), i, shape), x, y, shape.width() * SCALE, shape.height() * SCALE, null);
            drawn[label]++;
        }
        return top + Math.min(rows, perLabel) * (shape.height() * SCALE + GAP);
    }

    private static BufferedImage toImage(float[] pixels, int index, ImageShape shape)
    {
        int area = shape.height() * shape.width();
        int offset = index * shape.size();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < shape.size(); i++) {
            min = Math.min(min, pixels[offset + i]);
            max = Math.max(max, pixels[offset + i]);
        }
        float range = max > min ? max - min : 1;
        BufferedImage image = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < area; p++) {
            int[] rgb = new int[3];
            for (int c = 0; c < 3; c++) {
                int channel = shape.channels() == 3 ? c : 0;
                float value = (pixels[offset + channel * area + p] - min) / range;
                // ink images (one channel) are shown dark on light, like the characters they are
                rgb[c] = Math.round(255 * (shape.channels() == 1 ? 1 - value : value));
            }
            image.setRGB(p % shape.width(), p / shape.width(), (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
        }
        return image;
    }

    private static FontMetrics fontMetrics(Font font)
    {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            scratch.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return scratch.getFontMetrics(font);
        }
        finally {
            scratch.dispose();
        }
    }

    /**
     * {@code text} in lines no wider than {@code width}: broken after a space, {@code _}, {@code -},
     * {@code /} or {@code )} where it can, inside a word where it must. The lines together are the
     * text, so a long class name (an Omniglot alphabet, a WordNet id with its words) stays readable.
     */
    static List<String> wrap(String text, FontMetrics metrics, int width)
    {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int breakAfter = -1;
        for (int i = 0; i < text.length(); i++) {
            line.append(text.charAt(i));
            if (metrics.stringWidth(line.toString()) > width && line.length() > 1) {
                int cut = breakAfter >= 0 ? breakAfter + 1 : line.length() - 1;
                lines.add(line.substring(0, cut));
                line.delete(0, cut);
                breakAfter = -1;
                for (int j = 0; j < line.length(); j++) {
                    if (isBreak(line.charAt(j)) && j < line.length() - 1) {
                        breakAfter = j;
                    }
                }
            }
            else if (isBreak(text.charAt(i))) {
                breakAfter = line.length() - 1;
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static boolean isBreak(char character)
    {
        return character == ' ' || character == '_' || character == '-' || character == '/' || character == ')';
    }
}
