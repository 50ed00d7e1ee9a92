package org.atnas.core.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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

    private TaskPicture() {}

    /** The picture as PNG bytes; images are shown min-max scaled per image (dark = low). */
    public static byte[] png(TaskSampler.LabelledTask labelled, int maxQueriesPerClass)
    {
        Task task = labelled.task();
        ImageShape shape = task.support().shape();
        int shots = task.support().size() / task.ways();
        int queries = Math.min(maxQueriesPerClass, task.query().size() / task.ways());
        int cell = Math.max(shape.width() * SCALE, 72);
        int width = MARGIN + task.ways() * (cell + GAP);
        int height = HEADER + (shots + queries) * (shape.height() * SCALE + GAP) + GAP * 3;
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = picture.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, width, height);
            graphics.setColor(Color.BLACK);
            graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int label = 0; label < task.ways(); label++) {
                int x = MARGIN + label * (cell + GAP);
                ImageClass imageClass = labelled.classOfLabel().get(label);
                String name = imageClass.name();
                String leaf = name.substring(name.lastIndexOf('/') + 1);
                graphics.drawString("label " + label, x, 12);
                graphics.drawString(shorten(leaf, 14), x, 25);
                if (!imageClass.group().equals(leaf) && !name.equals(leaf)) {
                    graphics.drawString(shorten(imageClass.group(), 14), x, 38);
                }
            }
            int y = HEADER;
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

    private static String shorten(String text, int length)
    {
        return text.length() <= length ? text : "…" + text.substring(text.length() - length + 1);
    }
}
