package org.atnas.core.export;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.atnas.api.network.Cell;
import org.atnas.api.network.Edge;
import org.atnas.api.network.Op;

import static java.util.Objects.requireNonNull;

/**
 * A drawing of one cell, as in the paper's Fig. 7–8: the cell's inputs on the left, its
 * intermediate nodes in columns by depth, the output on the right; every edge labelled with its op
 * and ending in an arrowhead, bent round any node it would otherwise cross; the nodes concatenated
 * into the output joined to it by grey edges. Laid out once, rendered as SVG
 * (text) or PNG (Java 2D, headless), so both pictures agree.
 *
 * <p>Longer than the engine's other classes on purpose: the layout (columns, rows, where each
 * label goes) and its two renderings share every coordinate, and splitting them would pass that
 * geometry around as a data structure of its own.
 */
public final class CellPicture
{
    private static final int COLUMN = 200;
    private static final int ROW = 120;
    private static final int MARGIN = 50;
    private static final int NODE_RADIUS = 27;
    private static final int TITLE = 30;
    private static final int FONT_SIZE = 12;
    private static final double CHARACTER_WIDTH = 0.62 * FONT_SIZE;
    private static final double[] LABEL_PLACES = {0.5, 0.35, 0.65, 0.25, 0.75, 0.18, 0.82};
    /** Bends tried for an edge, as a share of its length, until its curve passes no other node. */
    private static final double[] BENDS = {0, 0.25, 0.45, 0.7, 1.0, 1.4};
    /** How far an edge keeps from the centre of a node it does not touch: the radius and a gap. */
    static final double CLEARANCE = NODE_RADIUS + 10;
    private static final int SAMPLES = 50;
    private static final double ARROW_LENGTH = 11;
    private static final double ARROW_WIDTH = 5;

    /** A node: centre, label, and whether it is an input or the output (drawn in another colour). */
    record NodeMark(double x, double y, String label, boolean boundary) {}

    /** An edge: a quadratic curve (straight if the control point is the middle) between node centres; its label sits at {@code labelT} along it. */
    record EdgeMark(NodeMark from, NodeMark to, double controlX, double controlY, String label, Color color, boolean concatenation, double labelT)
    {
        double labelX()
        {
            return (1 - labelT) * (1 - labelT) * from.x + 2 * labelT * (1 - labelT) * controlX + labelT * labelT * to.x;
        }

        double labelY()
        {
            return (1 - labelT) * (1 - labelT) * from.y + 2 * labelT * (1 - labelT) * controlY + labelT * labelT * to.y;
        }

        double x(double t)
        {
            return (1 - t) * (1 - t) * from.x + 2 * t * (1 - t) * controlX + t * t * to.x;
        }

        double y(double t)
        {
            return (1 - t) * (1 - t) * from.y + 2 * t * (1 - t) * controlY + t * t * to.y;
        }

        /**
         * The arrowhead where the edge enters its target node's circle: tip, then the two corners
         * of its base, as x, y pairs.
         */
        double[] arrowhead()
        {
            // the curve's distance to the target's centre falls towards t = 1: bisect for where it crosses the circle
            double low = 0;
            double high = 1;
            for (int i = 0; i < 40; i++) {
                double middle = (low + high) / 2;
                if (Math.hypot(x(middle) - to.x, y(middle) - to.y) > NODE_RADIUS) {
                    low = middle;
                }
                else {
                    high = middle;
                }
            }
            double tipX = x(low);
            double tipY = y(low);
            // the tangent at the tip: the derivative of the quadratic curve
            double dx = 2 * (1 - low) * (controlX - from.x) + 2 * low * (to.x - controlX);
            double dy = 2 * (1 - low) * (controlY - from.y) + 2 * low * (to.y - controlY);
            double length = Math.max(1e-9, Math.hypot(dx, dy));
            dx /= length;
            dy /= length;
            double baseX = tipX - ARROW_LENGTH * dx;
            double baseY = tipY - ARROW_LENGTH * dy;
            return new double[] {tipX, tipY, baseX - ARROW_WIDTH * dy, baseY + ARROW_WIDTH * dx, baseX + ARROW_WIDTH * dy, baseY - ARROW_WIDTH * dx};
        }

        /** The least distance between this edge and the centre of a node other than its ends. */
        double clearance(List<NodeMark> nodes)
        {
            double least = Double.MAX_VALUE;
            for (NodeMark node : nodes) {
                if (node.equals(from) || node.equals(to)) {
                    continue;
                }
                for (int step = 0; step <= SAMPLES; step++) {
                    double t = (double) step / SAMPLES;
                    least = Math.min(least, Math.hypot(x(t) - node.x, y(t) - node.y));
                }
            }
            return least;
        }

        EdgeMark withLabelAt(double t)
        {
            return new EdgeMark(from, to, controlX, controlY, label, color, concatenation, t);
        }

        /** Whether this label's box and {@code other}'s overlap. */
        boolean labelOverlaps(EdgeMark other)
        {
            double width = CHARACTER_WIDTH * (label.length() + other.label.length()) / 2 + 8;
            return Math.abs(labelX() - other.labelX()) < width && Math.abs(labelY() - other.labelY()) < FONT_SIZE + 8;
        }
    }

    private final String title;
    private final List<NodeMark> nodes = new ArrayList<>();
    private final List<EdgeMark> edges = new ArrayList<>();
    private final int width;
    private final int height;

    /**
     * Lays out {@code cell}.
     *
     * @param title the caption above the drawing, for example {@code normal cell}
     */
    public CellPicture(Cell cell, String title)
    {
        requireNonNull(cell, "cell is null");
        this.title = requireNonNull(title, "title is null");
        int inputs = cell.inputCount();
        int count = inputs + cell.nodes().size();
        int[] depth = new int[count + 1];
        for (int i = 0; i < cell.nodes().size(); i++) {
            int deepest = 0;
            for (Edge edge : cell.nodes().get(i).edges()) {
                deepest = Math.max(deepest, depth[edge.from()]);
            }
            depth[inputs + i] = deepest + 1;
        }
        int last = 0;
        for (int i = 0; i < count; i++) {
            last = Math.max(last, depth[i]);
        }
        depth[count] = last + 1;
        int[] perColumn = new int[last + 2];
        for (int d : depth) {
            perColumn[d]++;
        }
        int[] placed = new int[last + 2];
        NodeMark[] marks = new NodeMark[count + 1];
        for (int i = 0; i <= count; i++) {
            int column = depth[i];
            double y = ROW * (placed[column]++ - (perColumn[column] - 1) / 2.0);
            String label;
            if (i < inputs) {
                label = "c_{k" + cell.inputOffsets().get(i) + "}";
            }
            else if (i < count) {
                label = Integer.toString(i - inputs);
            }
            else {
                label = "c_{k}";
            }
            marks[i] = new NodeMark(COLUMN * column, y, label, i < inputs || i == count);
        }
        List<EdgeMark> laidOut = new ArrayList<>();
        int bent = 0;
        for (int i = 0; i < cell.nodes().size(); i++) {
            for (Edge edge : cell.nodes().get(i).edges()) {
                EdgeMark mark = curve(marks, marks[edge.from()], marks[inputs + i], bent, opName(edge.op()), colour(edge.op()), false);
                bent += mark.controlX() != (mark.from().x() + mark.to().x()) / 2 ? 1 : 0;
                // the label goes to the first place along the edge where it covers no other label
                for (double t : LABEL_PLACES) {
                    EdgeMark candidate = mark.withLabelAt(t);
                    if (laidOut.stream().noneMatch(candidate::labelOverlaps)) {
                        mark = candidate;
                        break;
                    }
                }
                laidOut.add(mark);
            }
        }
        for (int output : cell.outputNodes()) {
            laidOut.add(curve(marks, marks[output], marks[count], 0, "", new Color(0x9E9E9E), true));
        }
        // the drawing's extent: nodes, sampled curves and label boxes; then everything moves inside the margins
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (NodeMark mark : marks) {
            minX = Math.min(minX, mark.x() - NODE_RADIUS);
            maxX = Math.max(maxX, mark.x() + NODE_RADIUS);
            minY = Math.min(minY, mark.y() - NODE_RADIUS);
            maxY = Math.max(maxY, mark.y() + NODE_RADIUS);
        }
        for (EdgeMark edge : laidOut) {
            for (double t = 0; t <= 1; t += 0.05) {
                double x = (1 - t) * (1 - t) * edge.from().x() + 2 * t * (1 - t) * edge.controlX() + t * t * edge.to().x();
                double y = (1 - t) * (1 - t) * edge.from().y() + 2 * t * (1 - t) * edge.controlY() + t * t * edge.to().y();
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            double half = CHARACTER_WIDTH * edge.label().length() / 2 + 4;
            minX = Math.min(minX, edge.labelX() - half);
            maxX = Math.max(maxX, edge.labelX() + half);
            minY = Math.min(minY, edge.labelY() - FONT_SIZE);
            maxY = Math.max(maxY, edge.labelY() + FONT_SIZE);
        }
        double dx = MARGIN - minX;
        double dy = MARGIN + TITLE - minY;
        Map<NodeMark, NodeMark> moved = new IdentityHashMap<>();
        for (NodeMark mark : marks) {
            NodeMark shifted = new NodeMark(mark.x() + dx, mark.y() + dy, mark.label(), mark.boundary());
            moved.put(mark, shifted);
            nodes.add(shifted);
        }
        for (EdgeMark edge : laidOut) {
            edges.add(new EdgeMark(moved.get(edge.from()), moved.get(edge.to()), edge.controlX() + dx, edge.controlY() + dy, edge.label(), edge.color(), edge.concatenation(), edge.labelT()));
        }
        this.width = (int) Math.ceil(maxX - minX) + 2 * MARGIN;
        this.height = (int) Math.ceil(maxY - minY) + 2 * MARGIN + TITLE;
    }

    /**
     * A straight edge, unless it would pass over another node: then the least bend, alternately up
     * and down, whose curve keeps {@link #CLEARANCE} from every other node (or, if none does, the
     * one that comes least close).
     */
    private static EdgeMark curve(NodeMark[] nodes, NodeMark from, NodeMark to, int bent, String label, Color color, boolean concatenation)
    {
        double dx = to.x() - from.x();
        double dy = to.y() - from.y();
        double length = Math.max(1, Math.hypot(dx, dy));
        List<NodeMark> all = List.of(nodes);
        EdgeMark best = null;
        double bestClearance = -1;
        for (double share : BENDS) {
            for (int side : bent % 2 == 0 ? new int[] {1, -1} : new int[] {-1, 1}) {
                double bend = share * length * side;
                EdgeMark candidate = new EdgeMark(from, to, (from.x() + to.x()) / 2 - dy / length * bend, (from.y() + to.y()) / 2 + dx / length * bend, label, color, concatenation, 0.5);
                double clearance = candidate.clearance(all);
                if (clearance >= CLEARANCE) {
                    return candidate;
                }
                if (clearance > bestClearance) {
                    best = candidate;
                    bestClearance = clearance;
                }
                if (share == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /** The op's name as DARTS and NAS-Bench-201 write it, from its kind, kernel and dilation. */
    static String opName(Op op)
    {
        String size = op.kernel() + "x" + op.kernel();
        return switch (op.kind()) {
            case SEP_CONV -> "sep_conv_" + size;
            case DIL_CONV -> "dil_conv_" + size;
            case MAX_POOL_BN -> "max_pool_" + size;
            case AVG_POOL_BN, AVG_POOL -> "avg_pool_" + size;
            case SKIP, FACTORIZED_REDUCE -> "skip_connect";
            case CONV_BN, RELU_CONV_BN -> "conv_" + size;
            default -> op.kind().name().toLowerCase(Locale.ROOT);
        };
    }

    private static Color colour(Op op)
    {
        return switch (op.kind()) {
            case SEP_CONV, DIL_CONV, CONV_BN, RELU_CONV_BN -> new Color(0x1F5FAD);
            case MAX_POOL_BN, AVG_POOL_BN, AVG_POOL -> new Color(0x2E7D32);
            default -> new Color(0x6D4C41);
        };
    }

    public int width()
    {
        return width;
    }

    public int height()
    {
        return height;
    }

    /** The labels of the edges, in drawing order (the concatenation edges have none). */
    public List<String> edgeLabels()
    {
        return edges.stream().filter(edge -> !edge.concatenation()).map(EdgeMark::label).toList();
    }

    List<NodeMark> nodes()
    {
        return List.copyOf(nodes);
    }

    List<EdgeMark> edges()
    {
        return List.copyOf(edges);
    }

    /** A standalone SVG document. */
    public String toSvg()
    {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"%d\">%n",
                width, height, width, height, FONT_SIZE));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"bold\">%s</text>%n", MARGIN / 2, MARGIN / 2 + 6, FONT_SIZE + 3, escape(title)));
        for (EdgeMark edge : edges) {
            svg.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f Q %.1f %.1f %.1f %.1f\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>%n",
                    edge.from().x(), edge.from().y(), edge.controlX(), edge.controlY(), edge.to().x(), edge.to().y(), hex(edge.color()),
                    edge.concatenation() ? "1.5" : "2", edge.concatenation() ? " stroke-dasharray=\"5 4\"" : ""));
        }
        for (NodeMark node : nodes) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#424242\" stroke-width=\"1.5\"/>%n",
                    node.x(), node.y(), NODE_RADIUS, node.boundary() ? "#CFD8DC" : "#FFF59D"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" dominant-baseline=\"central\">%s</text>%n", node.x(), node.y(), escape(node.label())));
        }
        for (EdgeMark edge : edges) {
            double[] arrow = edge.arrowhead();
            svg.append(String.format(Locale.ROOT, "<polygon class=\"arrowhead\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>%n",
                    arrow[0], arrow[1], arrow[2], arrow[3], arrow[4], arrow[5], hex(edge.color())));
        }
        for (EdgeMark edge : edges) {
            if (edge.label().isEmpty()) {
                continue;
            }
            double textWidth = CHARACTER_WIDTH * edge.label().length();
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"%s\" stroke-width=\"0.8\"/>%n",
                    edge.labelX() - textWidth / 2 - 3, edge.labelY() - FONT_SIZE / 2.0 - 3, textWidth + 6, FONT_SIZE + 6, hex(edge.color())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"%s\">%s</text>%n",
                    edge.labelX(), edge.labelY(), hex(edge.color()), escape(edge.label())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The same drawing as a PNG image. */
    public byte[] toPng()
    {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, width, height);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, FONT_SIZE);
            graphics.setFont(font.deriveFont(Font.BOLD, FONT_SIZE + 3f));
            graphics.setColor(Color.BLACK);
            graphics.drawString(title, MARGIN / 2f, MARGIN / 2f + 6);
            graphics.setFont(font);
            FontMetrics metrics = graphics.getFontMetrics();
            for (EdgeMark edge : edges) {
                graphics.setColor(edge.color());
                graphics.setStroke(edge.concatenation()
                        ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f)
                        : new BasicStroke(2f));
                graphics.draw(new QuadCurve2D.Double(edge.from().x(), edge.from().y(), edge.controlX(), edge.controlY(), edge.to().x(), edge.to().y()));
            }
            graphics.setStroke(new BasicStroke(1.5f));
            for (NodeMark node : nodes) {
                Ellipse2D circle = new Ellipse2D.Double(node.x() - NODE_RADIUS, node.y() - NODE_RADIUS, 2 * NODE_RADIUS, 2 * NODE_RADIUS);
                graphics.setColor(node.boundary() ? new Color(0xCFD8DC) : new Color(0xFFF59D));
                graphics.fill(circle);
                graphics.setColor(new Color(0x424242));
                graphics.draw(circle);
                centred(graphics, metrics, node.label(), node.x(), node.y());
            }
            for (EdgeMark edge : edges) {
                double[] arrow = edge.arrowhead();
                Path2D head = new Path2D.Double();
                head.moveTo(arrow[0], arrow[1]);
                head.lineTo(arrow[2], arrow[3]);
                head.lineTo(arrow[4], arrow[5]);
                head.closePath();
                graphics.setColor(edge.color());
                graphics.fill(head);
            }
            graphics.setStroke(new BasicStroke(0.8f));
            for (EdgeMark edge : edges) {
                if (edge.label().isEmpty()) {
                    continue;
                }
                int textWidth = metrics.stringWidth(edge.label());
                RoundRectangle2D box = new RoundRectangle2D.Double(edge.labelX() - textWidth / 2.0 - 3, edge.labelY() - FONT_SIZE / 2.0 - 3, textWidth + 6, FONT_SIZE + 6, 6, 6);
                graphics.setColor(Color.WHITE);
                graphics.fill(box);
                graphics.setColor(edge.color());
                graphics.draw(box);
                centred(graphics, metrics, edge.label(), edge.labelX(), edge.labelY());
            }
        }
        finally {
            graphics.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not encode the picture of " + title + " as PNG", e);
        }
        return bytes.toByteArray();
    }

    private static void centred(Graphics2D graphics, FontMetrics metrics, String text, double x, double y)
    {
        graphics.drawString(text, (float) (x - metrics.stringWidth(text) / 2.0), (float) (y + (metrics.getAscent() - metrics.getDescent()) / 2.0));
    }

    private static String hex(Color color)
    {
        return String.format(Locale.ROOT, "#%06X", color.getRGB() & 0xFFFFFF);
    }

    private static String escape(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
